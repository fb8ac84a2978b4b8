"""What each role gets from every URL: (GET, POST), each six answers in the order anonymous,
agent, agent of another team, manager, manager of another team, coordinator.

ok = 2xx, login = sent to sign in, redirect = sent elsewhere, else the status code. The seeded
objects are those of `tests/security/walk.py`: `agent` signed up, nominated a colleague of
`manager`'s team and received an award; `coordinator` hosts the activity and is staff.
"""

ACCESS: dict[str, tuple[str, str]] = {
    "": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "accounts/2fa/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "accounts/2fa/authenticate/": (
        "login redirect redirect redirect redirect redirect",
        "login redirect redirect redirect redirect redirect",
    ),
    "accounts/2fa/reauthenticate/": (
        "login redirect redirect redirect redirect ok",
        "login redirect redirect redirect redirect ok",
    ),
    "accounts/2fa/recovery-codes/": ("login 404 404 404 404 404", "login 405 405 405 405 405"),
    "accounts/2fa/recovery-codes/download/": ("login 404 404 404 404 404", "login 404 404 404 404 404"),
    "accounts/2fa/recovery-codes/generate/": (
        "login redirect redirect redirect redirect redirect",
        "login redirect redirect redirect redirect redirect",
    ),
    "accounts/2fa/totp/activate/": (
        "login redirect redirect redirect redirect redirect",
        "login redirect redirect redirect redirect redirect",
    ),
    "accounts/2fa/totp/deactivate/": ("login 404 404 404 404 redirect", "login 404 404 404 404 redirect"),
    "accounts/3rdparty/": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "accounts/3rdparty/login/cancelled/": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "accounts/3rdparty/login/error/": ("401 401 401 401 401 401", "405 405 405 405 405 405"),
    "accounts/3rdparty/signup/": (
        "login login login login login login",
        "login login login login login login",
    ),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": ("ok ok ok ok ok ok", "404 404 404 404 404 404"),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "ok ok ok ok ok ok",
        "ok ok ok ok ok ok",
    ),
    "accounts/confirm-email/": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "accounts/email/": ("login ok ok ok ok ok", "login redirect redirect redirect redirect redirect"),
    "accounts/inactive/": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "accounts/login/": (
        "ok redirect redirect redirect redirect redirect",
        "ok redirect redirect redirect redirect redirect",
    ),
    "accounts/login/code/confirm/": (
        "login redirect redirect redirect redirect redirect",
        "login redirect redirect redirect redirect redirect",
    ),
    "accounts/logout/": ("login ok ok ok ok ok", "login login login login login login"),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": ("404 404 404 404 404 404", "404 404 404 404 404 404"),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        "404 404 404 404 404 404",
        "404 404 404 404 404 404",
    ),
    "accounts/password/change/": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "accounts/password/reset/": ("ok ok ok ok ok ok", "ok ok ok ok ok ok"),
    "accounts/password/reset/done/": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "accounts/password/reset/key/done/": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "accounts/password/set/": (
        "login redirect redirect redirect redirect redirect",
        "login redirect redirect redirect redirect redirect",
    ),
    "accounts/reauthenticate/": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "accounts/signup/": (
        "ok redirect redirect redirect redirect redirect",
        "ok redirect redirect redirect redirect redirect",
    ),
    "accounts/social/connections/": (
        "redirect redirect redirect redirect redirect redirect",
        "redirect redirect redirect redirect redirect redirect",
    ),
    "accounts/social/login/cancelled/": (
        "redirect redirect redirect redirect redirect redirect",
        "redirect redirect redirect redirect redirect redirect",
    ),
    "accounts/social/login/error/": (
        "redirect redirect redirect redirect redirect redirect",
        "redirect redirect redirect redirect redirect redirect",
    ),
    "accounts/social/signup/": (
        "redirect redirect redirect redirect redirect redirect",
        "redirect redirect redirect redirect redirect redirect",
    ),
    "activities/<int:pk>.ics": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "activities/<int:pk>/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "activities/<int:pk>/check-in.svg": ("login 403 403 403 403 ok", "login 405 405 405 405 405"),
    # An empty form: 400 with the form again.
    "activities/<int:pk>/check-in/": ("login ok ok ok ok ok", "login 400 400 400 400 400"),
    # The walk's activity is on site: it has no join link to open.
    "activities/<int:pk>/join/": ("login 403 403 403 403 403", "login 405 405 405 405 405"),
    "activities/<int:pk>/attendance/": ("login 405 405 405 405 405", "login 403 403 403 403 redirect"),
    "activities/<int:pk>/cancel/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "activities/<int:pk>/delete/": ("login 403 403 403 403 ok", "login 403 403 403 403 400"),
    "activities/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "activities/<int:pk>/registrants.csv": ("login 403 403 403 403 ok", "login 405 405 405 405 405"),
    "activities/<int:pk>/signup/": (
        "login 405 405 405 405 405",
        "login redirect redirect redirect redirect redirect",
    ),
    "activities/<int:pk>/withdraw/": ("login 405 405 405 405 405", "login redirect 404 404 404 404"),
    "admin/": ("login login login login login ok", "login login login login login ok"),
    "admin/(?P<url>.*)$": ("login login login login login 404", "login login login login login 404"),
    "admin/^(?P<app_label>...)/$": ("login login login login login ok", "login login login login login ok"),
    "admin/account/emailaddress/": ("login login login login login 403", "login login login login login 403"),
    "admin/account/emailaddress/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/account/emailaddress/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/account/emailaddress/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/account/emailaddress/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/account/emailaddress/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/audit/auditentry/": ("login login login login login 403", "login login login login login 403"),
    "admin/audit/auditentry/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/audit/auditentry/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/audit/auditentry/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/audit/auditentry/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/audit/auditentry/add/": ("login login login login login 403", "login login login login login 403"),
    "admin/auth/group/": ("login login login login login 403", "login login login login login 403"),
    "admin/auth/group/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/auth/group/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/auth/group/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/auth/group/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/auth/group/add/": ("login login login login login 403", "login login login login login 403"),
    "admin/autocomplete/": ("login login login login login 403", "login login login login login 405"),
    "admin/django_celery_beat/clockedschedule/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/clockedschedule/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/clockedschedule/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/clockedschedule/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/clockedschedule/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/clockedschedule/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/crontabschedule/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/crontabschedule/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/crontabschedule/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/crontabschedule/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/crontabschedule/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/crontabschedule/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/intervalschedule/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/intervalschedule/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/intervalschedule/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/intervalschedule/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/intervalschedule/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/intervalschedule/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/periodictask/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/periodictask/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/periodictask/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/periodictask/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/periodictask/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/periodictask/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/solarschedule/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/solarschedule/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/solarschedule/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/solarschedule/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/django_celery_beat/solarschedule/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/django_celery_beat/solarschedule/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/events/activity/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/activity/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/activity/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/activity/<path:object_id>/delete/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/activity/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/activity/add/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/registration/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/registration/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/registration/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/registration/<path:object_id>/delete/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/registration/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/registration/add/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/teamcoverage/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/teamcoverage/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/teamcoverage/<path:object_id>/change/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/teamcoverage/<path:object_id>/delete/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/teamcoverage/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/teamcoverage/add/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/themetemplate/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/themetemplate/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/themetemplate/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/themetemplate/<path:object_id>/delete/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/themetemplate/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/themetemplate/add/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/week/": ("login login login login login ok", "login login login login login ok"),
    "admin/events/week/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/events/week/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/week/<path:object_id>/delete/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/week/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/events/week/add/": ("login login login login login ok", "login login login login login ok"),
    "admin/jsi18n/": ("login login login login login ok", "login login login login login 405"),
    "admin/login/": ("login 403 403 403 403 redirect", "login 403 403 403 403 redirect"),
    "admin/logout/": (
        "redirect redirect redirect redirect redirect 405",
        "redirect redirect redirect redirect redirect ok",
    ),
    "admin/mfa/authenticator/": ("login login login login login 403", "login login login login login 403"),
    "admin/mfa/authenticator/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/mfa/authenticator/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/mfa/authenticator/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/mfa/authenticator/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/mfa/authenticator/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/delivery/": ("login login login login login 403", "login login login login login 403"),
    "admin/outbox/delivery/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/outbox/delivery/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/delivery/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/delivery/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/delivery/add/": ("login login login login login 403", "login login login login login 403"),
    "admin/outbox/emailoptout/": ("login login login login login 403", "login login login login login 403"),
    "admin/outbox/emailoptout/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/outbox/emailoptout/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/emailoptout/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/outbox/emailoptout/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/outbox/emailoptout/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/password_change/": ("login login login login login ok", "login login login login login ok"),
    "admin/password_change/done/": ("login login login login login ok", "login login login login login 405"),
    "admin/people/invitation/": ("login login login login login ok", "login login login login login ok"),
    "admin/people/invitation/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/people/invitation/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login 403",
    ),
    "admin/people/invitation/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/people/invitation/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/invitation/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/people/team/": ("login login login login login ok", "login login login login login ok"),
    "admin/people/team/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/people/team/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/team/<path:object_id>/delete/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/team/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/team/add/": ("login login login login login ok", "login login login login login ok"),
    "admin/people/user/": ("login login login login login ok", "login login login login login ok"),
    "admin/people/user/<id>/password/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/people/user/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/people/user/<path:object_id>/change/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/user/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/people/user/<path:object_id>/history/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/people/user/add/": ("login login login login login ok", "login login login login login ok"),
    "admin/r/<path:content_type_id>/<path:object_id>/": (
        "login login login login login 404",
        "login login login login login 404",
    ),
    "admin/recognition/awardcategory/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/awardcategory/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/recognition/awardcategory/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/awardcategory/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/awardcategory/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/awardcategory/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/nomination/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/nomination/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/recognition/nomination/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/nomination/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/nomination/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/nomination/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/reaction/": ("login login login login login 403", "login login login login login 403"),
    "admin/recognition/reaction/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/recognition/reaction/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/reaction/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/recognition/reaction/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/recognition/reaction/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialaccount/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialaccount/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialaccount/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialaccount/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialaccount/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialaccount/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialapp/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialapp/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialapp/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialapp/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialapp/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialapp/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialtoken/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialtoken/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialtoken/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialtoken/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/socialaccount/socialtoken/<path:object_id>/history/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/socialaccount/socialtoken/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "announcements/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "announcements/<int:pk>/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "announcements/<int:pk>/cancel/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "announcements/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "announcements/<int:pk>/email.html": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "announcements/<int:pk>/schedule/": ("login 403 403 403 403 405", "login 403 403 403 403 ok"),
    "announcements/<int:pk>/send/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "announcements/new/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "audit/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "audit/export.csv": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "calendar/<str:token>.ics": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "deliveries/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "deliveries/<int:pk>/retry/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "deliveries/retry-failed/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "favicon.ico": ("redirect redirect redirect redirect redirect redirect", "405 405 405 405 405 405"),
    "healthz": ("ok ok ok ok ok ok", "ok ok ok ok ok ok"),
    "integrations/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "integrations/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "integrations/<int:pk>/remove/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "integrations/add/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "invite/<str:token>/": ("ok ok ok ok ok ok", "ok ok ok ok ok ok"),
    "awards/<int:pk>/certificate.pdf": ("login ok 404 ok 404 ok", "login 405 405 405 405 405"),
    "awards/<int:pk>/certificate/": ("login ok 404 ok 404 ok", "login 405 405 405 405 405"),
    "awards/<int:pk>/photo/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "awards/<int:pk>/photo/remove/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "media/avatars/<int:pk>/<str:token>.jpg": ("login 404 404 404 404 404", "login 405 405 405 405 405"),
    "media/awards/<int:pk>/<str:token>.jpg": ("login 404 404 404 404 404", "login 405 405 405 405 405"),
    "nominations/<int:pk>/approve/": ("login 403 403 405 405 405", "login 403 403 redirect 404 redirect"),
    "nominations/<int:pk>/decline/": ("login 403 403 ok 404 ok", "login 403 403 ok 404 ok"),
    "nominations/<int:pk>/withdraw/": ("login ok 404 404 404 404", "login redirect 404 404 404 404"),
    "nominations/mine/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "nominations/new/": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "nominations/people/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "nominations/review/": ("login 403 403 ok ok ok", "login 403 403 405 405 405"),
    "nominations/review/bulk-approve/": (
        "login 403 403 405 405 405",
        "login 403 403 redirect redirect redirect",
    ),
    "organisation/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "organisation/logo/<str:version>/": ("404 404 404 404 404 404", "405 405 405 405 405 405"),
    "people/": ("login 403 403 ok ok ok", "login 403 403 ok ok ok"),
    "people/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "people/<int:pk>/resend-invitation/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "people/import/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "people/invite/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "profile/": ("login ok ok ok ok ok", "login ok ok ok ok ok"),
    "profile/calendar/": ("login 405 405 405 405 405", "login redirect redirect redirect redirect redirect"),
    "reports/": ("login 403 403 redirect redirect redirect", "login 403 403 405 405 405"),
    "reports/<int:year>/": ("login 403 403 ok ok ok", "login 403 403 405 405 405"),
    "reports/<int:year>/<slug:key>.<str:fmt>": ("login 403 403 ok ok ok", "login 403 403 405 405 405"),
    "registrations/<int:pk>/attendance/": ("login 405 405 405 405 405", "login 404 404 404 404 redirect"),
    "schedule/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "schedule/<int:year>/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "teams/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "teams/<int:pk>/delete/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "teams/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "teams/new/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "theme.css": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "unsubscribe/<str:token>/": ("ok ok ok ok ok ok", "ok ok ok ok ok ok"),
    "wall/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "wall/<int:pk>/react/": ("login 405 405 405 405 405", "login 400 400 400 400 400"),
    "wall/announce/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "wall/export.csv": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "weeks/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "weeks/<int:year>/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "weeks/<int:year>/activities/new/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "weeks/categories/": ("login 403 403 403 403 redirect", "login 403 403 403 403 405"),
    "weeks/<int:year>/categories/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "weeks/<int:year>/categories/<int:pk>/announce/": (
        "login 403 403 403 403 ok",
        "login 403 403 403 403 redirect",
    ),
    "weeks/<int:year>/categories/<int:pk>/edit/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "weeks/<int:year>/categories/<int:pk>/move/": ("login 403 403 403 403 405", "login 403 403 403 403 400"),
    "weeks/<int:year>/categories/<int:pk>/restore/": (
        "login 403 403 403 403 405",
        "login 403 403 403 403 redirect",
    ),
    "weeks/<int:year>/categories/<int:pk>/retire/": (
        "login 403 403 403 403 ok",
        "login 403 403 403 403 redirect",
    ),
    "weeks/<int:year>/categories/copy/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "weeks/<int:year>/categories/new/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "weeks/<int:year>/clone/": ("login 403 403 403 403 405", "login 403 403 403 403 ok"),
    "weeks/<int:year>/days/<str:day>/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "weeks/<int:year>/days/<str:day>/theme/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    # The walk's week is not over yet: the recap is a coordinators' preview until it is.
    "weeks/<int:year>/recap/": ("login 404 404 404 404 ok", "login 405 405 405 405 405"),
    "weeks/<int:year>/recap/note/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "weeks/<int:year>/recap/send/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "weeks/<int:year>/publish/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "weeks/<int:year>/settings/": ("login 403 403 403 403 ok", "login 403 403 403 403 ok"),
    "weeks/<int:year>/unpublish/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "weeks/coverage/<int:team_id>/": ("login 403 403 403 403 405", "login 403 403 403 403 ok"),
    "admin/surveys/survey/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/surveys/survey/<path:object_id>/": (
        "login login login login login redirect",
        "login login login login login redirect",
    ),
    "admin/surveys/survey/<path:object_id>/change/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/surveys/survey/<path:object_id>/delete/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/surveys/survey/<path:object_id>/history/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "admin/surveys/survey/add/": (
        "login login login login login 403",
        "login login login login login 403",
    ),
    "surveys/": ("login ok ok ok ok ok", "login 405 405 405 405 405"),
    "surveys/<int:pk>/": ("login 403 403 403 403 ok", "login 403 403 403 403 405"),
    "surveys/<int:pk>/answer/": ("login ok ok ok ok ok", "login 400 400 400 400 400"),
    "surveys/<int:pk>/close/": ("login 403 403 403 403 405", "login 403 403 403 403 redirect"),
    "surveys/<int:pk>/publish/": ("login 403 403 403 403 ok", "login 403 403 403 403 redirect"),
    "surveys/<int:pk>/questions/": ("login 403 403 403 403 405", "login 403 403 403 403 400"),
    "surveys/<int:pk>/questions/<int:question_pk>/delete/": (
        "login 403 403 403 403 405",
        "login 403 403 403 403 redirect",
    ),
    "surveys/<int:pk>/questions/<int:question_pk>/move/": (
        "login 403 403 403 403 405",
        "login 403 403 403 403 redirect",
    ),
    "surveys/<int:pk>/results.csv": ("login 403 403 404 404 404", "login 405 405 405 405 405"),
    "surveys/<int:pk>/results.xlsx": ("login 403 403 404 404 404", "login 405 405 405 405 405"),
    "surveys/<int:pk>/results/": ("login 403 403 ok ok ok", "login 405 405 405 405 405"),
    "surveys/<int:pk>/thanks/": ("login 404 404 404 404 404", "login 405 405 405 405 405"),
    "surveys/new/": ("login 403 403 403 403 ok", "login 403 403 403 403 400"),
}
