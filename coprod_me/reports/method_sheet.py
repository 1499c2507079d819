"""The Method sheet: the rules behind the report's flags, the parameter values they ran with
(each programme's own values with the reason it gave), where the thresholds come from and
the sources in full. The same method, rule by rule, is in docs/rules.md.

Pure: the read model in, ``SheetContent`` out.
"""

from __future__ import annotations

from typing import Any

from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import QuarterlyReport
from coprod_me.reports.sheet_content import Block, Column, SheetContent, words


def method(report: QuarterlyReport) -> SheetContent:
    """Rules with their defaults, the programmes' overrides, the tags and the sources."""
    m = report.method
    codes = {p.code for p in report.programmes}
    overrides = [o for o in m.overrides if o.programme in codes]
    # laid out on the columns of the rules table below it: the text in its wide column
    intro = Block("MethodAbout", [Column("Item", width=7), Column("", width=26),
                                  Column("Value", "wrap", width=60)],
                  [["Method", None, "The risk rules that raised this report's flags and the "
                                    "parameter values they used. A flag is a prompt for "
                                    "evaluator judgement, not a verdict. Each rule's full "
                                    "method (how it is computed, severity arms, deliberate "
                                    "departures from its text) is in docs/rules.md."],
                   *[[f"[{tag}]", None, meaning] for tag, meaning in m.provenance]],
                  as_table=False)
    raised = {f.rule_id for p in report.programmes
              for f, _change in F.flag_changes(p.flags or [], report.quarter)}
    # on paper: the rules behind this report's flags, what they detect and the values they
    # used; every rule and every source follow on screen
    paper_rows: list[list[Any]] = []
    cited: set[str] = set()
    rule_rows: list[list[Any]] = []
    for r in m.rules:
        if r.rule_id in raised:
            paper_rows.append([r.rule_id, r.title, r.detects or r.logic or None,
                               "; ".join(f"{p.label} = {p.value} [{p.tag}]"
                                         for p in r.parameters) or None,
                               ", ".join(r.citations) or None])
            cited.update(r.citations)
        params = "; ".join(f"{p.label} = {p.value} [{p.tag}]" for p in r.parameters)
        rule_rows.append([r.rule_id, r.title, words(r.category),
                          "yes" if r.enabled else "no", r.detects or r.logic or None,
                          params or None, r.next_step or None, ", ".join(r.citations) or None])
    printed = Block("MethodRulesRaised", [
        Column("Rule", width=7), Column("Title", "wrap", 26),
        Column("What it detects", "wrap", 60),
        Column("Parameters (value [provenance])", "wrap", 52),
        Column("Sources", "wrap", 14)], paper_rows,
        title="The rules behind this report's flags",
        empty_message="No flags raised: every rule is listed on screen below the print area.")
    rules = Block("MethodRules", paper=False, columns=[
        Column("Rule", width=7), Column("Title", "wrap", 28), Column("Category", width=15),
        Column("Enabled", width=8), Column("What it detects", "wrap", 48),
        Column("Parameters (default value [provenance])", "wrap", 56),
        Column("Next step", "wrap", 40), Column("Sources", "wrap", 16)],
        rows=rule_rows, title="Every rule and its default parameter values (on screen, not "
                              "printed)",
        empty_message="No rule definitions were available.")
    # the rule first, so its parameter and reason fall in the wide columns of the rules
    over = Block("MethodOverrides", [
        Column("Rule", width=7), Column("Parameter", "wrap", 26), Column("Reason", "wrap", 50),
        Column("Value used", width=14), Column("Default", width=14),
        Column("Programme", width=11), Column("Set by", width=14, paper=False),
        Column("Set on", width=11, paper=False)],
        [[o.rule_id, o.param, o.reason, o.value, o.default, o.programme, o.user,
          o.set_on] for o in overrides],
        title="Parameters this report's programmes set for themselves (they replace the "
              "default above)",
        empty_message="None: every rule ran with its default values.")
    # the reference in the wide column of the rules table, as the introduction's text
    source_cols = [Column("Key", width=10), Column("", width=26),
                   Column("Reference", "wrap", 120)]
    cited_sources = Block("MethodSourcesCited", source_cols,
                          [[k, None, ref] for k, ref in m.sources if k in cited],
                          title="Sources of these rules (on screen, not printed; in full in "
                                "docs/rules.md)", empty_message="No sources cited.",
                          as_table=False, paper=False)
    sources = Block("MethodSources", source_cols[::2], [[k, ref] for k, ref in m.sources],
                    title="Every source (on screen, not printed)", paper=False,
                    empty_message="No sources cited.")
    return SheetContent("Method", [intro, printed, over, cited_sources, rules, sources])
