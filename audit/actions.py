"""The accountable actions the audit log records: each code and how the log page names it.

One list for the whole project, so the filter on /audit/ can offer every action and a mistyped
code fails at once instead of writing entries nobody can find.
"""

ACTIONS: dict[str, str] = {
    # People, roles and teams
    "person.role_changed": "Role changed",
    "person.team_changed": "Team changed",
    "person.deactivated": "Person deactivated",
    "person.reactivated": "Person reactivated",
    "team.created": "Team created",
    "team.updated": "Team renamed or managers changed",
    "team.deleted": "Team deleted",
    "invitation.sent": "Invitation sent",
    "invitation.resent": "Invitation sent again",
    "invitation.accepted": "Invitation accepted",
    "staff.imported": "Staff imported from CSV",
    # Weeks and activities
    "week.created": "Week created",
    "week.updated": "Week changed",
    "week.moved": "Week moved (dates or time zone)",
    "week.published": "Week published",
    "week.unpublished": "Week unpublished",
    "week.cloned": "Week cloned",
    "activity.created": "Activity created",
    "activity.updated": "Activity changed",
    "activity.cancelled": "Activity cancelled",
    "activity.deleted": "Activity deleted",
    "attendance.marked": "Attendance marked",
    "attendance.unmarked": "Attendance undone",
    "attendance.checked_in": "Checked in (code or join link)",
    # Recognition
    "nomination.approved": "Nomination approved",
    "nomination.declined": "Nomination declined",
    "awards.announced": "Awards announced",
    "category.created": "Award category created",
    "category.updated": "Award category changed",
    "category.moved": "Award category moved in the list",
    "category.retired": "Award category retired",
    "category.restored": "Award category taken out of retirement",
    "categories.copied": "Award categories copied from last year",
    "award.photo_set": "Award photo added or replaced",
    "award.photo_removed": "Award photo removed",
    # Surveys
    "survey.created": "Survey created",
    "survey.published": "Survey published",
    "survey.closed": "Survey closed",
    # Emails to everyone
    "announcement.sent": "Announcement sent",
    "organisation.update": "Organisation identity changed",
    "announcement.created": "Announcement drafted",
    "announcement.updated": "Announcement changed",
    "announcement.scheduled": "Announcement scheduled",
    "announcement.cancelled": "Announcement schedule cancelled",
    # Chat
    "webhook.added": "Chat webhook added",
    "webhook.changed": "Chat webhook changed",
    "webhook.removed": "Chat webhook removed",
    # Exports
    "export.wall_csv": "Awards exported (CSV)",
    "export.registrants_csv": "Registrants exported (CSV)",
    "export.audit_csv": "Audit log exported (CSV)",
    "export.survey_results": "Survey results exported (CSV/XLSX)",
    "export.report": "Report exported",
    "recap.sent": "Week recap sent",
    # The admin back office
    "admin.add": "Admin: added",
    "admin.change": "Admin: changed",
    "admin.delete": "Admin: deleted",
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    """(code, label) pairs sorted by label, for the filter."""
    return sorted(ACTIONS.items(), key=lambda item: item[1])
