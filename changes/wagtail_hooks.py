from wagtail import hooks

from .notes import keep_publish_note

hooks.register("before_publish_page", keep_publish_note)
