"""The public registration journey: form, confirmation, self-service page, press requests.

Thin views over vocations.events.services (registrations, accreditations): every rule and
every French message comes from those services; see docs/registration.md.
"""
