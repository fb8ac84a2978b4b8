"""Date and time arithmetic shared by the apps (wall-clock shifts across time zones and DST)."""

import datetime
import zoneinfo


def shift_keeping_local_time(
    moment: datetime.datetime,
    *,
    zone: zoneinfo.ZoneInfo,
    days: int,
    to_zone: zoneinfo.ZoneInfo | None = None,
) -> datetime.datetime:
    """The same wall-clock time in `zone`, `days` later (so 10:00 stays 10:00 across a DST change);
    with `to_zone`, that wall-clock time read in the new zone (a week whose zone changes)."""
    local = moment.astimezone(zone).replace(tzinfo=None) + datetime.timedelta(days=days)
    return local.replace(tzinfo=to_zone or zone).astimezone(datetime.UTC)
