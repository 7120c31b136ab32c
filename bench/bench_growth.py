"""Growth exponents on adversarial inputs: each input at n and 4n through
parse + every rule; the exponent log(t4n/tn)/log(4) should stay <= 1.2.

    python bench/bench_growth.py [--n 4000] [--rules]

--rules also names the slowest rule at 4n (to find what to fix).
"""

from __future__ import annotations

import argparse
import math
import time

from gklint import engine, ruleset, source
from gklint.parse import parse

ADVERSARIAL = {
    "long digit run": lambda n: "共" + "1" * n + "条",
    "ascii letters": lambda n: "a" * n,
    "han characters": lambda n: "政" * n,
    "numbers then text": lambda n: " ".join(["12"] * (n // 3)) + "文字",
    "open paragraph, blank lines": lambda n: "这是一个没有结束的段落" + "\n" * n,
    "ascii run, one @": lambda n: "a" * n + " @",
    "many 其中": lambda n: "共受理10件，" + "其中1件、" * (n // 5) + "。",
    "many 一是": lambda n: "".join(f"{'一二三四五六七八九'[i % 9]}是做好工作，" for i in range(n // 6)),
    "tab table rows": lambda n: "\n".join("（一）本年新收政府信息公开申请数\t12\t3" for _ in range(n // 20)),
    "quotes unclosed": lambda n: "“" * n,
    "percent list": lambda n: "，".join("占10%" for _ in range(n // 4)),
    "digits and commas": lambda n: "1," * (n // 2) + "条",
    "headings": lambda n: "\n".join(f"{'一二三四五六七八九十'[i % 10]}、标题" for i in range(n // 5)),
    "repeated sentence": lambda n: "本机关认真贯彻落实条例要求。" * (n // 14),
}


def timed(text: str, rules) -> tuple[float, list]:
    start = time.perf_counter()
    doc = parse(source.decode(text.encode("utf-8")))
    per_rule = []
    for rule in rules:
        t = time.perf_counter()
        engine.lint(doc, [rule])
        per_rule.append((time.perf_counter() - t, rule.id))
    return time.perf_counter() - start, per_rule


def best(text: str, rules, repeat: int) -> tuple[float, list]:
    runs = [timed(text, rules) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", action="store_true")
    args = parser.parse_args()
    rules = ruleset.load()
    worst = 0.0
    print(f"{'input':<28} {'n':>8} {'t(n) ms':>9} {'t(4n) ms':>9} {'exponent':>8}")
    for name, make in ADVERSARIAL.items():
        small, _ = best(make(args.n), rules, args.repeat)
        large, per_rule = best(make(4 * args.n), rules, args.repeat)
        exponent = math.log(max(large, 1e-6) / max(small, 1e-6)) / math.log(4)
        worst = max(worst, exponent)
        slowest = max(per_rule)
        extra = f"  slowest {slowest[1]} {slowest[0] * 1000:.0f} ms" if args.rules else ""
        print(f"{name:<28} {args.n:>8} {small * 1000:>9.1f} {large * 1000:>9.1f} {exponent:>8.2f}{extra}")
    print(f"worst exponent {worst:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
