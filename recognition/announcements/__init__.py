"""Announcements: coordinators write to everyone or chosen people, now or at a chosen moment.

Kept in their own modules (services, selectors, forms, views, urls, deliveries) inside recognition,
which owns announcements."""
