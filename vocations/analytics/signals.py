"""Signals of the analytics app.

``flush_wanted``: the visit service asks for a flush of the buffer without importing the tasks
(the tasks call the services: an import the other way would be a cycle). ``tasks.py`` listens
and queues ``flush_visits``; the app's ``ready()`` imports it, so the listener is always there.
"""

from django.dispatch import Signal

flush_wanted = Signal()
