"""What "nobody who could be placed is left out" means, checked against a graph of the pairs
the rules allow (built by each test from the data, not through pairctl)."""

from __future__ import annotations

from itertools import combinations

import networkx as nx

from pairctl.core.model import Pairing


def most_placed(n: int, allowed: nx.Graph, odd: str) -> int:
    """How many people a pairing can place at most: pairs of allowed people, plus (trio rule)
    a leftover joining a pair when allowed with both."""
    best = 2 * len(nx.max_weight_matching(allowed, maxcardinality=True))
    if odd == "trio":
        for x, y, z in combinations(range(n), 3):
            if allowed.has_edge(x, y) and allowed.has_edge(y, z) and allowed.has_edge(x, z):
                rest = allowed.subgraph(set(range(n)) - {x, y, z})
                best = max(best, 3 + 2 * len(nx.max_weight_matching(rest, maxcardinality=True)))
    return best


def assert_placed_as_many_as_allowed(pairing: Pairing, allowed: nx.Graph, n: int, odd: str) -> None:
    """Every group is allowed, everyone is accounted for, as many are placed as any pairing
    could, a "no allowed partner" reason is true, and there is a trio only under the trio
    rule, at most one."""
    for group in pairing.groups:
        for x, y in combinations(group.members, 2):
            assert allowed.has_edge(x, y), (x, y)
    placed = sorted(i for g in pairing.groups for i in g.members)
    left = sorted(u.index for u in pairing.unmatched)
    assert sorted(placed + left) == list(range(n))
    assert len(placed) == most_placed(n, allowed, odd)
    for u in pairing.unmatched:
        if u.reason.startswith("no allowed partner"):
            assert not any(allowed.has_edge(u.index, v) for v in left), u.reason
    assert sum(len(g.members) == 3 for g in pairing.groups) <= (1 if odd == "trio" else 0)
