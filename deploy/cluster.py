"""The reference deployment on one machine, in the foreground until Ctrl-C or SIGTERM.

nginx on 127.0.0.1:$PORT in front of $APP_HOSTS gunicorn hosts, a PostgreSQL primary and a
streaming replica (their own ports, data under var/cluster/), Redis, the task worker. Every
process is a child of this one and is stopped when it stops; the database clusters' data stay
under var/cluster/ between runs (`make cluster-clean` removes them), so the seed loads once.

Ports, from $PORT (default 8080): nginx PORT, the primary PORT+1, the replica PORT+2, Redis
PORT+3, the app hosts PORT+11, PORT+12...
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The clusters' data, logs and nginx's prefix; CLUSTER_DIR moves them out of the checkout (CI
# does when the postgres user cannot enter it).
VAR = Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable

PORT = int(os.environ.get("PORT", "8080"))
APP_HOSTS = int(os.environ.get("APP_HOSTS", "2"))
PRIMARY_PORT, REPLICA_PORT, REDIS_PORT = PORT + 1, PORT + 2, PORT + 3
APP_PORTS = [PORT + 11 + n for n in range(APP_HOSTS)]
DATABASE = os.environ.get("CLUSTER_DATABASE", "site")
WORKERS_PER_HOST = os.environ.get("WEB_CONCURRENCY", "2")


# Started by root (a development machine, CI), nginx's workers would run as `nobody`, which
# cannot reach a checkout inside a private directory (`mktemp -d` makes 0700 ones): the static
# files, the micro-cache and temporary files are all under the checkout. Here they run as the
# user who started the cluster; a real deployment runs nginx as its own user.
NGINX_USER = ["-g", "user root;"] if os.geteuid() == 0 else []


def nginx_command(prefix, upstreams, listen, static=None, media=None):
    """Lay out nginx's prefix directory for deploy/nginx.conf, as its header describes (the
    config, the static files and the media linked; the host list and the listen line written),
    and return the command that runs nginx on it. `upstreams` are `server` lines' arguments,
    `listen` the listen line's."""
    static = static or ROOT / "var" / "staticfiles"
    media = media or ROOT / "var" / "media"
    media.mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    for link, target in (("nginx.conf", ROOT / "deploy" / "nginx.conf"), ("static", static),
                         ("media", media)):  # fmt: skip
        path = prefix / link
        if path.is_symlink() or path.exists():
            path.unlink()
        path.symlink_to(target)
    (prefix / "upstream.conf").write_text("".join(f"server {up};\n" for up in upstreams))
    (prefix / "listen.conf").write_text(f"listen {listen};\n")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return [nginx, "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf"), *NGINX_USER]


def ports():
    """What runs where, for the drill and the summary."""
    return {
        "nginx": PORT,
        "primary": PRIMARY_PORT,
        "replica": REPLICA_PORT,
        "redis": REDIS_PORT,
        "app_hosts": APP_PORTS,
    }


def say(text):
    print(f"cluster: {text}", flush=True)


def as_postgres(*command, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], **kwargs)


def wait_for(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"cluster: {what} did not come up within {seconds} s")


def postgres_can_reach(folder):
    """Whether the postgres user can enter `folder` (every folder above it searchable)."""
    return as_postgres("test", "-x", folder, check=False).returncode == 0


def pg_ready(port):
    return (
        subprocess.run(
            [PG_BIN / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        ).returncode
        == 0
    )


def database_url(port):
    return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"


def app_environment():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings.production",
        DATABASE_URL=database_url(PRIMARY_PORT),
        DATABASE_REPLICA_URL=database_url(REPLICA_PORT),
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "cluster-on-one-machine-not-a-secret"),
        ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        # Plain HTTP on loopback: a trial of the shape, not a public site.
        SECURE_SSL_REDIRECT="false",
        SITE_URL=f"http://127.0.0.1:{PORT}",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{PORT}",
        WEB_CONCURRENCY=WORKERS_PER_HOST,
        TRUSTED_PROXY_COUNT="1",
        GUNICORN_ACCESS_LOG=os.environ.get("GUNICORN_ACCESS_LOG", ""),
    )
    return env


class Cluster:
    def __init__(self):
        self.children = []  # (name, Popen), in start order
        self.pg_started = []

    # --- PostgreSQL ------------------------------------------------------------------------
    def primary(self):
        data = VAR / "primary"
        VAR.mkdir(parents=True, exist_ok=True)
        if not postgres_can_reach(VAR):
            raise SystemExit(
                f"cluster: the postgres user cannot reach {VAR} (a folder above it is not "
                "searchable by others, as /root is): PostgreSQL keeps its data there. Clone the "
                "project elsewhere, give the folders above it o+x, or set CLUSTER_DIR to a folder "
                "it can reach."
            )
        if not (data / "PG_VERSION").exists():
            say(f"creating the primary cluster in {data}")
            VAR.mkdir(parents=True, exist_ok=True)
            data.mkdir(exist_ok=True)
            shutil.chown(data, "postgres", "postgres")
            as_postgres(
                PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-instructions", check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            with open(data / "postgresql.conf", "a") as conf:
                conf.write(
                    "\n# make cluster\nlisten_addresses = '127.0.0.1'\n"
                    "unix_socket_directories = ''\nwal_level = replica\nmax_wal_senders = 5\n"
                    "hot_standby = on\nfsync = off\nsynchronous_commit = off\n"
                    "shared_buffers = 64MB\nmax_connections = 100\n"
                )
            with open(data / "pg_hba.conf", "a") as hba:
                hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.pg_start("primary", data, PRIMARY_PORT)
        exists = as_postgres(
            PG_BIN / "psql", "-h", "127.0.0.1", "-p", PRIMARY_PORT, "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'",  # noqa: S608 (our own name)
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        if not exists:
            as_postgres(
                PG_BIN / "createdb", "-h", "127.0.0.1", "-p", PRIMARY_PORT, DATABASE, check=True
            )

    def replica(self):
        data = VAR / "replica"
        if not (data / "PG_VERSION").exists():
            say(f"creating the streaming replica in {data} (pg_basebackup)")
            data.mkdir(exist_ok=True)
            shutil.chown(data, "postgres", "postgres")
            os.chmod(data, 0o700)
            as_postgres(
                PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", PRIMARY_PORT, "-U", "postgres",
                "-D", data, "-R", "-X", "stream", "--checkpoint=fast", check=True,
            )  # fmt: skip
        self.pg_start("replica", data, REPLICA_PORT)

    def pg_start(self, name, data, port):
        if pg_ready(port):
            raise SystemExit(f"cluster: port {port} ({name}) is already taken")
        log = VAR / f"{name}.log"
        log.touch()
        shutil.chown(log, "postgres", "postgres")
        as_postgres(
            PG_BIN / "pg_ctl", "-D", data, "-l", log, "-o", f"-p {port}", "-w", "start",
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.pg_started.append((name, data))

    # --- Processes ---------------------------------------------------------------------------
    def spawn(self, name, command, **kwargs):
        process = subprocess.Popen(command, start_new_session=True, **kwargs)
        self.children.append((name, process))
        return process

    def manage(self, *args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=app_environment(), check=True)

    def nginx(self):
        hosts = [f"127.0.0.1:{port} max_fails=1 fail_timeout=5s" for port in APP_PORTS]
        listen = f"127.0.0.1:{PORT} default_server"
        self.spawn("nginx", nginx_command(VAR / "nginx", hosts, listen))

    def start(self):
        self.primary()
        self.replica()
        self.spawn(
            "redis",
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
        )  # fmt: skip
        wait_for(lambda: subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, check=False
        ).returncode == 0, "redis")  # fmt: skip
        say("migrating, collecting static files, loading the seed when the database is empty")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("load_compilation", "--if-empty")
        for n in range(1, APP_HOSTS + 1):
            (VAR / f"app{n}.hold").unlink(missing_ok=True)
            self.children.append((f"app{n}", self.app_host(n)))
        self.children.append(("worker", self.task_worker()))
        for port in [*APP_PORTS]:
            wait_for(lambda port=port: _answers(port), f"app host on {port}", 60)
        # nginx only once the hosts answer: a host that refuses a first request is left out for
        # fail_timeout (5 s), and with every host left out nginx answers 502.
        self.nginx()
        wait_for(lambda: _answers(PORT), "nginx")
        self.summary()

    def summary(self):
        hosts = ", ".join(f"127.0.0.1:{port}" for port in APP_PORTS)
        print(
            f"""
  The cluster is up (Ctrl-C stops everything):
    Site   http://127.0.0.1:{PORT}/          nginx, {VAR / "nginx"}
    Admin  http://127.0.0.1:{PORT}/admin/    (manage.py createsuperuser with the settings below)
    App hosts (gunicorn, {WORKERS_PER_HOST} workers each): {hosts}
    PostgreSQL primary  127.0.0.1:{PRIMARY_PORT}  {VAR / "primary"}
    PostgreSQL replica  127.0.0.1:{REPLICA_PORT}  {VAR / "replica"} (streaming)
    Redis               127.0.0.1:{REDIS_PORT}
    Task worker         manage.py db_worker (its queue is a table on the primary)
    DATABASE_URL={database_url(PRIMARY_PORT)}
    DATABASE_REPLICA_URL={database_url(REPLICA_PORT)}
""",
            flush=True,
        )

    def watch(self):
        """Stop when nginx or Redis dies; start an app host or the task worker again.

        An app host that stops is started again, as a process manager would, unless
        var/cluster/appN.hold exists (the drill holds a host down that way while it measures).
        """
        parent = os.getppid()
        while True:
            if os.getppid() != parent:
                # `make cluster` was stopped (make passes SIGTERM on to nobody): stop with it.
                say("the parent process is gone; stopping")
                return
            for index, (name, process) in enumerate(self.children):
                if process.poll() is None:
                    continue
                if name == "worker":
                    say(f"the task worker exited ({process.returncode}); starting it again")
                    self.children[index] = (name, self.task_worker())
                    continue
                if not name.startswith("app"):
                    say(f"{name} exited ({process.returncode}); stopping")
                    return
                if not (VAR / f"{name}.hold").exists():
                    say(f"{name} stopped; starting it again")
                    self.children[index] = (name, self.app_host(int(name[3:])))
            time.sleep(0.5)

    def app_host(self, n):
        env = app_environment()
        env.update(HOST="127.0.0.1", PORT=str(APP_PORTS[n - 1]))
        return subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--pid", str(VAR / f"app{n}.pid"),
             # Each host its own control socket (gunicorn's default is one per user).
             "--control-socket", str(VAR / f"app{n}.ctl"),
             "site_project.wsgi:application"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip

    def task_worker(self):
        """django-tasks' worker: link checks, mails, search and reference indexing, on the
        primary (the router sends no request-less reads to the replica)."""
        return subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--worker-id", "cluster-worker"],
            cwd=ROOT, env=app_environment(), start_new_session=True,
        )  # fmt: skip

    def stop(self):
        for name, process in reversed(self.children):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        for name, process in reversed(self.children):
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop; killing it")
                process.kill()
        for _name, data in reversed(self.pg_started):
            as_postgres(PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop",
                        check=False, stdout=subprocess.DEVNULL)  # fmt: skip
        say("stopped")


def _answers(port):
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main():
    cluster = Cluster()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    # Also when started as a background job of a script, which starts with SIGINT ignored.
    signal.signal(signal.SIGINT, interrupted)
    try:
        cluster.start()
        cluster.watch()
    except KeyboardInterrupt:
        say("interrupted")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()


if __name__ == "__main__":
    main()
