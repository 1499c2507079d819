"""Transitional (issue 11): ``RiskService`` was split into ``RiskRunService``,
``FlagRegisterService``, ``RuleSettingsService`` and ``ChecklistService``.

``services.quarterly_reports`` still imports ``RiskService`` from here for ``changes`` and
``rag``, which are now ``FlagRegisterService``'s (same constructor, same signatures). Delete
this module once it imports ``coprod_me.services.flag_register.FlagRegisterService``.
"""

from coprod_me.services.flag_register import FlagRegisterService as RiskService

__all__ = ["RiskService"]
