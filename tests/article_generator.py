"""Made-up Arabic news articles for tests that need many of them (written for the tests,
not taken from any outlet): a title, paragraphs of reporting sentences about the default
codebook's topics and actors, and page furniture, with a metadata.csv of outlets and dates.

    from article_generator import write_articles
    write_articles(tmp_path / "articles", 1000)
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SPEAKERS = ["بوتين", "بايدن", "الكرملين", "البيت الأبيض", "لافروف", "بلينكن", "زيلينسكي", "بيسكوف"]
VERBS = ["قال", "أكد", "أعلن", "حذر", "أوضح", "اعتبر"]
ISSUES = [
    "الوضع في أوكرانيا يحتاج إلى حل سياسي",
    "تنفيذ اتفاقيات مينسك هو الطريق الوحيد للتهدئة في دونباس",
    "المحادثات حول الاتفاق النووي مع إيران لم تصل إلى نتيجة بعد",
    "الهجمات السيبرانية على المرافق العامة خط أحمر",
    "الحد من التسلح يخدم الاستقرار الاستراتيجي بين البلدين",
    "العقوبات الجديدة لن تغير موقف موسكو من كييف",
    "مفاوضات فيينا ستستأنف الأسبوع المقبل",
    "قراصنة الإنترنت يستهدفون شبكات الطاقة",
]
PLAIN = [
    "وشهدت العاصمة أمطارا غزيرة طوال الأسبوع الماضي.",
    "وارتفعت أسعار الحبوب في الأسواق المحلية بنسبة طفيفة.",
    "وتستمر الاجتماعات الفنية بين الوفود على مستوى الخبراء.",
    "ويتوقع المراقبون أن تطول المشاورات عدة أشهر.",
]
OUTLETS = ["وكالة الأنباء الأولى", "صحيفة المساء", "موقع الخبر اليوم", "قناة الشرق", "Global Wire"]
FURNITURE = ["شارك الخبر على فيسبوك وتويتر", "اقرأ أيضا: جولة جديدة من المفاوضات", "المصدر: وكالات"]


def article(rng: random.Random, paragraphs: int) -> str:
    """One article: a title line, then ``paragraphs`` paragraphs, then a furniture line."""
    lines = [f"{rng.choice(SPEAKERS)}: {rng.choice(ISSUES)}"]
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.7:
                said = f"{rng.choice(VERBS)} {rng.choice(SPEAKERS)} إن {rng.choice(ISSUES)}"
                if rng.random() < 0.3:  # a long sentence, as agency copy often has
                    said += f"، مضيفا أن {rng.choice(ISSUES)} وأن {rng.choice(ISSUES)}"
                sentences.append(said + ".")
            else:
                sentences.append(rng.choice(PLAIN))
        lines.append(" ".join(sentences))
    lines.append(rng.choice(FURNITURE))
    return "\n".join(lines) + "\n"


def write_articles(folder: Path, n: int, *, paragraphs: int = 6, seed: int = 14) -> list[Path]:
    """Write ``n`` articles ``article_0000.txt`` … and their ``metadata.csv`` into ``folder``.

    Returns the article paths. Dates run from 2023-01-01 (one article a day per outlet).
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths, rows = [], []
    for i in range(n):
        path = folder / f"article_{i:04d}.txt"
        path.write_text(article(rng, paragraphs), encoding="utf-8")
        paths.append(path)
        rows.append(
            {
                "doc_id": path.stem,
                "date": (date(2023, 1, 1) + timedelta(days=i // len(OUTLETS))).isoformat(),
                "outlet": OUTLETS[i % len(OUTLETS)],
                "url": "",
                "title": "",
            }
        )
    with (folder / "metadata.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["doc_id", "date", "outlet", "url", "title"])
        writer.writeheader()
        writer.writerows(rows)
    return paths
