"""Complementary suppression of a team × role table with its margins: which figures to hide so that
no hidden one can be computed from the shown ones. Pure (counts in, hidden keys out), no database.

The figures are the cells (team, role), the team totals (team, None), the role totals (None, role)
and the whole survey (None, None). They are the flows of a small network in which every relation
"total = sum of its parts" is a node: S → team (team total), team → role (cell), role → K (role
total), K → S (whole survey). Whatever is shown, the hidden figures can take any value of
``known part + a circulation on the hidden edges``; a hidden figure is therefore determined by the
shown ones exactly when its edge lies on no cycle of hidden edges (linear algebra on the cycle
space: Cox's network view of cell suppression). The rule below hides until every hidden edge lies
on a hidden cycle, which is the proof that no combination of shown figures gives a hidden one.
"""

import heapq
import itertools
from collections.abc import Iterable

Key = tuple[str | None, str | None]  # (team, role); None stands for "all"
WHOLE: Key = (None, None)
_SOURCE, _SINK = ("S",), ("K",)


def figures(cells: dict[tuple[str, str], int]) -> dict[Key, int]:
    """Every figure of the table: the cells of teams × roles (missing ones are 0), the margins and
    the whole."""
    teams = sorted({team for team, _ in cells})
    roles = sorted({role for _, role in cells})
    out: dict[Key, int] = {}
    for team in teams:
        for role in roles:
            out[(team, role)] = cells.get((team, role), 0)
    for team in teams:
        out[(team, None)] = sum(out[(team, role)] for role in roles)
    for role in roles:
        out[(None, role)] = sum(out[(team, role)] for team in teams)
    out[WHOLE] = sum(out[(team, None)] for team in teams)
    return out


def _edge(key: Key) -> tuple[tuple, tuple]:
    team, role = key
    if team is None and role is None:
        return _SINK, _SOURCE
    if role is None:
        return _SOURCE, ("t", team)
    if team is None:
        return ("r", role), _SINK
    return ("t", team), ("r", role)


def relations(fig: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
    """Each "total = sum of its parts" of the table: (the total, its parts)."""
    teams = sorted(t for t, r in fig if t is not None and r is None)
    roles = sorted(r for t, r in fig if t is None and r is not None)
    out = [(WHOLE, [(t, None) for t in teams]), (WHOLE, [(None, r) for r in roles])]
    out += [((t, None), [(t, r) for r in roles]) for t in teams]
    out += [((None, r), [(t, r) for t in teams]) for r in roles]
    return out


def _order(fig: dict[Key, int], key: Key) -> tuple:
    """Which figure to give up first: cells before margins, margins before the whole, the smallest
    first, ties by name (so the outcome never depends on the order of answers)."""
    team, role = key
    level = 2 if key == WHOLE else (1 if team is None or role is None else 0)
    return (level, fig[key], "" if team is None else team, "" if role is None else role)


def _hide_small_complements(fig: dict[Key, int], hidden: set[Key], threshold: int) -> None:
    """Under a shown total, hidden parts must be at least two and hold at least `threshold` people
    together, or the total minus the shown parts would give them away."""
    for total, parts in relations(fig):
        if total in hidden:
            continue
        shown = sorted((p for p in parts if p not in hidden), key=lambda p: _order(fig, p))
        while shown:
            gone = [p for p in parts if p in hidden and fig[p]]
            if not gone or (len(gone) > 1 and sum(fig[p] for p in gone) >= threshold):
                break
            hidden.add(shown.pop(0))


def _on_hidden_cycle(fig: dict[Key, int], key: Key, hidden: set[Key]) -> bool:
    """Whether the edge of `key` lies on a cycle of hidden, non-empty edges (its ends stay joined
    without it)."""
    start, goal = _edge(key)
    neighbours: dict[tuple, list[tuple]] = {}
    for other in hidden:
        if other == key or not fig[other]:
            continue
        a, b = _edge(other)
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in neighbours.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _cheapest_cycle(fig: dict[Key, int], key: Key, hidden: set[Key]) -> list[Key]:
    """The shown figures to hide so that `key` lies on a hidden cycle: the cheapest path between
    its ends (hidden edges are free; cells cost their count, margins far more, the whole most)."""
    total = fig[WHOLE] + 1
    cost = {}
    for other in fig:
        level = _order(fig, other)[0]
        cost[other] = 0 if other in hidden else fig[other] + 1 + level * total * (len(fig) + 1)
    start, goal = _edge(key)
    neighbours: dict[tuple, list[tuple[tuple, Key]]] = {}
    for other in sorted(fig, key=lambda k: _order(fig, k)):
        if other == key or not fig[other]:
            continue
        a, b = _edge(other)
        neighbours.setdefault(a, []).append((b, other))
        neighbours.setdefault(b, []).append((a, other))
    counter = itertools.count()
    queue = [(0, next(counter), start)]
    best = {start: 0}
    came: dict[tuple, tuple[tuple, Key]] = {}
    while queue:
        spent, _, node = heapq.heappop(queue)
        if node == goal:
            break
        if spent > best.get(node, spent):
            continue
        for nxt, via in neighbours.get(node, []):
            price = spent + cost[via]
            if price < best.get(nxt, price + 1):
                best[nxt] = price
                came[nxt] = (node, via)
                heapq.heappush(queue, (price, next(counter), nxt))
    path, node = [], goal
    while node != start:
        node, via = came[node]
        path.append(via)
    return [via for via in path if via not in hidden]


def _small_group_cut(fig: dict[Key, int], hidden: set[Key], threshold: int) -> set[tuple] | None:
    """A set of nodes whose boundary is crossed by hidden figures all in one direction, together
    fewer than `threshold` people: the shown figures crossing it would give that group's total
    (e.g. the whole minus the only cell shown). None when there is no such group.

    Every such boundary is crossed by a hidden figure under the threshold, so only those are
    tried: a maximum flow from its tail to its head, where a hidden figure carries its count one
    way and cannot be crossed the other way, finds the cheapest boundary; a flow under the
    threshold is a small group, and the nodes still reachable are one side of it."""
    infinite = fig[WHOLE] + threshold + 1
    capacity: dict[tuple, dict[tuple, int]] = {}
    for key in hidden:
        if fig[key]:
            tail, head = _edge(key)
            capacity.setdefault(tail, {}).setdefault(head, 0)
            capacity.setdefault(head, {}).setdefault(tail, 0)
            capacity[tail][head] += fig[key]
            capacity[head][tail] += infinite
    for key in sorted(hidden, key=lambda k: _order(fig, k)):
        if not 0 < fig[key] < threshold:
            continue
        source, sink = _edge(key)
        residual = {node: dict(arcs) for node, arcs in capacity.items()}
        flow = 0
        while flow < threshold:
            came: dict[tuple, tuple] = {source: source}
            todo = [source]
            while todo and sink not in came:
                node = todo.pop(0)
                for nxt, left in residual[node].items():
                    if left > 0 and nxt not in came:
                        came[nxt] = node
                        todo.append(nxt)
            if sink not in came:
                return set(came)
            path, node = [], sink
            while node != source:
                path.append((came[node], node))
                node = came[node]
            push = min(residual[a][b] for a, b in path)
            for a, b in path:
                residual[a][b] -= push
                residual[b][a] += push
            flow += push
    return None


def suppress_table(
    cells: dict[tuple[str, str], int], *, threshold: int, forced: Iterable[Key] = ()
) -> set[Key]:
    """The figures to hide in a team × role table: every figure under `threshold`, then
    complements until

    1. under every shown total, the hidden parts are none, or at least two holding at least
       `threshold` people together (parent minus shown parts never isolates a small group);
    2. every hidden figure lies on a cycle of hidden figures, so no linear combination of the
       shown figures (margins, subtractions across teams and roles) equals a hidden one;
    3. no group of fewer than `threshold` people made of hidden figures has a total that the
       shown ones give (rule 1 for any boundary, e.g. the whole minus every shown cell).

    An empty cell is hidden too, but never counted on to protect another: whoever knows the teams
    may know that nobody of that role is in that team, so the rules hold with empty cells known.

    `forced` are figures hidden for another reason (e.g. hidden for the whole survey when this is
    one question's table). A whole under the threshold hides everything."""
    fig = figures(cells)
    if fig[WHOLE] < threshold:
        return set(fig)
    hidden = {key for key, count in fig.items() if count < threshold} | (set(forced) & set(fig))
    while True:
        before = len(hidden)
        _hide_small_complements(fig, hidden, threshold)
        for key in sorted(hidden, key=lambda k: _order(fig, k)):
            if fig[key] and not _on_hidden_cycle(fig, key, hidden):
                hidden.update(_cheapest_cycle(fig, key, hidden))
        side = _small_group_cut(fig, hidden, threshold)
        if side is not None:
            crossing = [k for k in fig if k not in hidden and (_edge(k)[0] in side) != (_edge(k)[1] in side)]
            hidden.add(min(crossing, key=lambda k: _order(fig, k)))
        if len(hidden) == before:
            return hidden
