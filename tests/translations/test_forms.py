"""The readers' forms under /fr/: the subscription form (/fr/subscribe/) and a French
compilation's suggestion form, in French from the labels to the thank-you page, while their
English pages say what they always said."""

import pytest

from subscriptions import tokens
from subscriptions.models import Subscriber

FRENCH_SUGGEST = "/fr/django-at-scale-in-production/suggest/"


def suggestion(**overrides):
    data = {
        "url": "https://www.example.org/articles/pgbouncer",
        "title": "PgBouncer en pratique",
        "section": "databases",
        "annotation": "Comment mutualiser les connexions sans surprise.",
        "email": "",
        "credit_name": "",
        "website": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_the_french_subscription_form_is_in_french(client):
    response = client.get("/fr/subscribe/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "<h1>S’abonner par e-mail</h1>" in html
    assert "Votre adresse e-mail" in html
    assert "<legend>Je veux recevoir</legend>" in html
    assert "Chaque nouvel article" in html and "Un résumé hebdomadaire" in html
    assert 'action="/fr/subscribe/"' in html
    assert "Subscribe by e-mail</h1>" not in html


@pytest.mark.django_db
def test_the_french_subscription_form_explains_its_errors_in_french(client):
    html = client.post("/fr/subscribe/", {"email": "not an address", "frequency": ""}).content
    html = html.decode()
    assert "Saisissez une adresse e-mail valide." in html
    assert "Champ requis." in html
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_french_subscription_ends_on_the_french_check_your_inbox_page(client):
    response = client.post(
        "/fr/subscribe/", {"email": "lecteur@example.com", "frequency": "weekly"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain == [("/fr/subscribe/?sent=1", 303)]
    assert "<h1>Consultez votre boîte de réception</h1>" in html
    assert '<a href="/fr/subscribe/">réessayez</a>' in html
    assert Subscriber.objects.get().email == "lecteur@example.com"


@pytest.mark.django_db
def test_the_confirmation_mail_stays_in_english_with_unprefixed_links(client, mailoutbox):
    client.post("/fr/subscribe/", {"email": "lecteur@example.com", "frequency": "weekly"})
    (message,) = mailoutbox
    assert message.subject.startswith("Confirm your subscription to ")
    assert "asked to receive a weekly digest from" in message.body
    assert "/subscribe/confirm/" in message.body
    assert "/fr/subscribe/" not in message.body


@pytest.mark.django_db
def test_the_french_confirmation_and_unsubscribe_pages_are_in_french(client):
    subscriber = Subscriber.objects.create(email="lecteur@example.com", frequency="post")
    confirm = f"/fr/subscribe/confirm/{tokens.confirmation_token(subscriber.key, 'post')}/"
    assert "pour recevoir chaque nouvel article." in client.get(confirm).content.decode()
    confirmed = client.post(confirm).content.decode()
    assert "<h1>Vous êtes abonné</h1>" in confirmed
    unsubscribe = f"/fr/subscribe/unsubscribe/{tokens.unsubscribe_token(subscriber.key)}/"
    assert "Se désabonner</button>" in client.get(unsubscribe).content.decode()
    assert "<h1>Vous êtes désabonné</h1>" in client.post(unsubscribe).content.decode()
    broken = client.get(confirm[:-4] + "abc/").content.decode()
    assert "<h1>Ce lien ne fonctionne pas</h1>" in broken


@pytest.mark.django_db
def test_the_english_subscription_form_is_unchanged(client):
    html = client.get("/subscribe/").content.decode()
    assert "<h1>Subscribe by e-mail</h1>" in html
    assert '<label for="id_email">Your e-mail address</label>' in html
    assert "<legend>Send me</legend>" in html
    assert 'action="/subscribe/"' in html
    errors = client.post("/subscribe/", {"email": "nope", "frequency": "weekly"}).content
    assert "Enter a valid email address." in errors.decode()


@pytest.mark.django_db
def test_french_pages_link_to_the_french_subscription_form(client, bilingual):
    assert 'href="/fr/subscribe/"' in client.get("/fr/").content.decode()
    assert 'href="/subscribe/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_french_suggestion_form_is_in_french(client, bilingual):
    response = client.get(FRENCH_SUGGEST + "?section=databases")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Proposer une entrée</h1>" in html
    assert "<title>Proposer une entrée : Django à grande échelle en production" in html
    assert ">Lien</label>" in html and ">Titre</label>" in html
    assert "Pourquoi les lecteurs devraient-ils l’ouvrir ?" in html
    assert "Une ligne, 140 caractères au plus." in html
    assert "Choisissez une section" in html
    assert '<option value="databases" selected>Bases de données</option>' in html
    assert "Envoyer la proposition</button>" in html
    assert f'action="{FRENCH_SUGGEST}"' in html


@pytest.mark.django_db
def test_the_french_suggestion_form_explains_its_errors_in_french(client, bilingual):
    response = client.post(
        FRENCH_SUGGEST, suggestion(url="ftp://example.org/file", title="", credit="on")
    )
    html = response.content.decode()
    assert "Veuillez corriger les champs signalés." in html
    assert "Seuls les liens http:// et https:// peuvent être proposés." in html
    assert "Champ requis." in html
    assert "Indiquez le nom à citer, ou décochez la case." in html
    private = client.post(FRENCH_SUGGEST, suggestion(url="http://10.0.0.1/")).content.decode()
    assert "Ce lien mène à l’intérieur d’un réseau privé." in private


@pytest.mark.django_db
def test_a_french_suggestion_ends_on_the_french_thank_you_page(client, bilingual):
    response = client.post(FRENCH_SUGGEST, suggestion(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(FRENCH_SUGGEST + "?sent=databases", 303)]
    assert "<h1>Merci</h1>" in html
    assert "Votre proposition pour « Bases de données » est entre les mains des éditeurs." in html
    assert "Retour à « Bases de données »" in html
    assert "Proposer un autre lien" in html


@pytest.mark.django_db
def test_the_english_suggestion_pages_are_unchanged(client, bilingual):
    url = "/django-at-scale-in-production/suggest/"
    html = client.get(url).content.decode()
    assert "<h1>Suggest an entry</h1>" in html
    assert '<label for="id_url">Link</label>' in html
    assert "One line, at most 140 characters." in html
    errors = client.post(url, suggestion(url="ftp://example.org/file")).content.decode()
    assert "Only http:// and https:// links can be suggested." in errors
    thanks = client.post(url, suggestion(), follow=True).content.decode()
    assert "Your suggestion for “Databases” is with the editors." in thanks
