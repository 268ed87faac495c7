"""A deterministic benchmark corpus: N briefings with categories, tags, authors and cited sources.

    python -m benchmarks.corpus DIR --briefings 1000

The same N and seed always give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import uuid
from pathlib import Path

__all__ = ["generate"]

WORDS = (
    "grid reserve capacity auction tender harbour council ministry budget winter demand supply "
    "price wind solar storage transmission regulator report committee vote plan policy reform "
    "transport ferry rail fare clinic waiting list hospital staff training defence frigate "
    "contract estimate audit overrun schedule climate flood map seawall rainfall coast housing "
    "data privacy label disclosure platform model safety standard industry union consumer "
    "evidence review analysis forecast region city town district national public private"
).split()
CATEGORIES = {"analysis": "Analysis", "opinion": "Opinion", "daily-brief": "Daily brief",
              "explainer": "Explainer", "data": "Data"}
OUTLETS = ["The Harbour Ledger", "Nordic Wire", "The Coastal Review", "Metro Courier",
           "Ministry of Energy", "National Audit Office", "Public Health Agency",
           "Office for Digital Regulation"]


def _sentence(rng: random.Random, cite: str | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    text = " ".join(words).capitalize()
    return f"{text} [@{cite}]." if cite else f"{text}."


def _body(rng: random.Random, cited: list[str], index: int) -> str:
    paragraphs = []
    target = rng.randint(600, 900)
    words = 0
    section = 0
    while words < target:
        if words and rng.random() < 0.2:
            section += 1
            paragraphs.append(f"## Part {section}: {rng.choice(WORDS)} and {rng.choice(WORDS)}")
        sentences = [_sentence(rng, rng.choice(cited) if rng.random() < 0.3 else None)
                     for _ in range(rng.randint(3, 6))]
        paragraph = " ".join(sentences)
        words += len(paragraph.split())
        paragraphs.append(paragraph)
    if index % 7 == 0:
        paragraphs.append("| Year | Value | Change |\n|---|---|---|\n" + "\n".join(
            f"| {2020 + i} | {rng.randint(10, 99)} | {rng.randint(-9, 9)}% |" for i in range(5)))
    if index % 11 == 0:
        paragraphs.append("```python\ndef total(values):\n    return sum(v for v in values "
                          "if v > 0)\n```")
    # every listed source is cited at least once
    paragraphs.append(" ".join(_sentence(rng, source) for source in cited))
    return "\n\n".join(paragraphs) + "\n"


def generate(root: Path, briefings: int, seed: int = 7) -> Path:
    """Write a complete site with `briefings` briefings under root; return root."""
    rng = random.Random(seed)
    (root / "content" / "briefings").mkdir(parents=True, exist_ok=True)
    (root / "content" / "sources").mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yaml").write_text(
        "title: Benchmark Desk\nbase_url: https://bench.example.org/\ntimezone: UTC\n"
        "pagination: 10\nfeeds:\n  items: 20\n", encoding="utf-8")
    (root / "content" / "categories.yaml").write_text("".join(
        f"{key}:\n  name: {name}\n  description: {name} pieces.\n"
        for key, name in CATEGORIES.items()), encoding="utf-8")
    authors = [f"author-{i:02d}" for i in range(10)]
    (root / "content" / "authors.yaml").write_text("".join(
        f"{a}:\n  name: Author {a[-2:]}\n  bio: Writes about {rng.choice(WORDS)}.\n"
        for a in authors), encoding="utf-8")
    sources = [f"src-{i:05d}" for i in range(max(4, briefings // 4))]
    for i, sid in enumerate(sources):
        (root / "content" / "sources" / f"{sid}.md").write_text(
            f"---\ntitle: {_sentence(rng)[:-1]}\noutlet: {OUTLETS[i % len(OUTLETS)]}\n"
            f"url: https://news{i % 5}.example.com/{sid}\npublished: 2025-{1 + i % 12:02d}-"
            f"{1 + i % 28:02d}\n---\n", encoding="utf-8")
    tags = [f"{a}-{b}" for a, b in zip(WORDS[::2], WORDS[1::2], strict=False)][:50]
    for i in range(briefings):
        year, month, day = 2024 + i % 3, 1 + i % 12, 1 + i % 28
        cited = rng.sample(sources, min(len(sources), rng.randint(2, 5)))  # tiny corpora too
        folder = root / "content" / "briefings" / f"{year}" / f"{month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        front = [
            "---",
            f"id: {uuid.UUID(int=rng.getrandbits(128), version=4)}",
            f"title: \"Briefing {i}: {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}\"",
            f"summary: {_sentence(rng)}",
            f"date: {year}-{month:02d}-{day:02d}T{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}"
            ":00+01:00",
            f"authors: [{rng.choice(authors)}]",
            f"category: {rng.choice(list(CATEGORIES))}",
            f"tags: [{', '.join(rng.sample(tags, rng.randint(1, 4)))}]",
            "sources: [" + ", ".join(cited) + "]",
            "---",
            "",
        ]
        (folder / f"briefing-{i:05d}.md").write_text("\n".join(front) + _body(rng, cited, i),
                                                     encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--briefings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.directory, args.briefings, args.seed)


if __name__ == "__main__":
    main()
