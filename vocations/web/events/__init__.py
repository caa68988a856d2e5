"""The public event finder, the event page and the iCalendar files."""
