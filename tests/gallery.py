"""Stress briefings made in code: every documented limit at its maximum, in each language.

The gallery's data files live in tests/data/gallery/; the ones here are generated because they
follow the limits in ``kreport.source.keys`` (lower a limit and they follow).
"""

from __future__ import annotations

from typing import Any

from kreport.source.keys import MAX_HIGHLIGHTS, MAX_METRICS, MAX_TEXT, MAX_TYPES

LATIN = (
    "Reported telecom and online fraud cases involving impersonation of officials, fake "
    "investment platforms, order brushing and loans, counted by the anti-fraud centre "
)
HAN = "电信网络诈骗案件冒充公检法虚假投资理财刷单返利贷款类警情反诈中心统计数据分析"
HANT = "電信網絡詐騙案件冒充公檢法虛假投資理財刷單返利貸款類警情反詐中心統計數據分析"


def filled(n: int, script: str) -> str:
    """A text as long as a limit of ``n`` allows: ``n`` Latin characters, in words, or ``n // 2``
    Chinese characters (each counts as two, as in the validator)."""
    source = {"en": LATIN, "zh": HAN, "zh-Hant": HANT}[script]
    if script != "en":
        n //= 2
    text = (source * (n // len(source) + 1))[:n]
    return text[:-1].rstrip() + "." if script == "en" else text


def maximal(script: str = "en") -> dict[str, Any]:
    """Every count and every length at its documented maximum."""

    def t(key: str) -> str:
        return filled(MAX_TEXT[key], script)

    metrics = [
        {
            "label": filled(MAX_TEXT["label"] - 3, script)[:-3] + f"{i:03d}",
            "value": 987_654_321_000 + i,
            "previous": 876_543_210_000,
            "unit": t("unit"),
            "better": "down" if i % 2 else "up",
            "headline": i < 4,
        }
        for i in range(MAX_METRICS)
    ]
    types = [
        {
            "label": filled(MAX_TEXT["label"] - 6, script)[:-3] + f"{i:03d}",
            "cases": 100_000 - i,
            "previous_cases": 90_000,
        }
        for i in range(MAX_TYPES)
    ]
    return {
        "title": t("title"),
        "agency": t("agency"),
        "period": t("period"),
        "baseline": t("baseline"),
        "marking": t("marking"),
        "source": t("source"),
        "note": t("note"),
        "issued": "2024-07-15",
        "language": script,
        "highlights": [t("highlight")] * MAX_HIGHLIGHTS,
        "metrics": metrics,
        "fraud_types": types,
    }
