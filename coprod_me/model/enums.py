"""Enumerations in the domain's words (domain brief §1).

Values are stored as plain text so the database stays readable and portable to
PostgreSQL; validation against these enums happens in services and the workbook
loader, which can then say exactly which value was wrong and what is allowed.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """The four service-cycle phases of co-production ("Four Co's")."""

    CO_COMMISSIONING = "co_commissioning"
    CO_DESIGN = "co_design"
    CO_DELIVERY = "co_delivery"
    CO_ASSESSMENT = "co_assessment"


class CoproductionLevel(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    COLLECTIVE = "collective"


class OsLevel(StrEnum):
    """Osborne & Strokosch cumulative scale."""

    CONSUMER = "consumer"
    PARTICIPATIVE = "participative"
    ENHANCED = "enhanced"


class OrsType(StrEnum):
    """Osborne, Radnor & Strokosch value-creation types."""

    CO_PRODUCTION = "co_production"
    CO_DESIGN = "co_design"
    CO_CONSTRUCTION = "co_construction"
    CO_INNOVATION = "co_innovation"


class InteractionMode(StrEnum):
    IN_PERSON_SYNC = "in_person_sync"
    ICT_SYNC = "ict_sync"
    ICT_ASYNC = "ict_async"
    HYBRID = "hybrid"


class IntendedOutcome(StrEnum):
    EFFICIENCY_EFFECTIVENESS_EXISTING_SERVICE = "efficiency_effectiveness_existing_service"
    USER_LED_INNOVATION = "user_led_innovation"


class TraditionLabel(StrEnum):
    TRADITIONAL = "traditional"
    NON_TRADITIONAL = "non_traditional"
    MIXED = "mixed"


class MoonType(StrEnum):
    """Moon (2018): four types of web-based co-production."""

    CROWDSOURCING_CO_DESIGN = "crowdsourcing_co_design"
    CROWDSOURCING_DESIGN_GOV_DELIVERY = "crowdsourcing_design_gov_delivery"
    GOV_DESIGN_CROWDSOURCING_DELIVERY = "gov_design_crowdsourcing_delivery"
    GOV_CITIZEN_CO_DELIVERY = "gov_citizen_co_delivery"


class KekezMode(StrEnum):
    ENFORCEMENT_UPGRADED_BY_PERFORMANCE = "enforcement_upgraded_by_performance"
    NOVEL_CAPTURED_COPRODUCTION = "novel_captured_coproduction"
    NOVEL_CONSISTENT_COPRODUCTION = "novel_consistent_coproduction"


class InstitutionalStatus(StrEnum):
    PILOT_EXPERIMENT = "pilot_experiment"
    TIME_LIMITED_PROJECT = "time_limited_project"
    PROGRAMME_RECURRENT_BUDGET = "programme_recurrent_budget"
    INSTITUTIONALISED_UNIT = "institutionalised_unit"


class PolicyDomain(StrEnum):
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    DISABILITY = "disability"
    ELDERLY_CARE = "elderly_care"
    WASH_SANITATION = "wash_sanitation"
    HOUSING = "housing"
    ENVIRONMENT = "environment"
    URBAN_SERVICES = "urban_services"
    EDUCATION = "education"
    SAFETY = "safety"
    DIGITAL_GOVERNMENT = "digital_government"
    OTHER = "other"


class JurisdictionLevel(StrEnum):
    NEIGHBOURHOOD = "neighbourhood"
    MUNICIPAL = "municipal"
    DISTRICT_COUNTY = "district_county"
    REGIONAL = "regional"
    NATIONAL = "national"
    MULTI_COUNTRY = "multi_country"


class ClientelismContext(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    UNKNOWN = "unknown"


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE_REPORTING = "active_reporting"
    CLOSED = "closed"


class ScaleupStage(StrEnum):
    """Governance International's five-step change model."""

    MAP = "map"
    FOCUS = "focus"
    PEOPLE = "people"
    MARKET = "market"
    GROW = "grow"


class PhaseIntensity(StrEnum):
    CONSULTATIVE = "consultative"
    SHARED = "shared"
    LAY_LED = "lay_led"


class PolicyStage(StrEnum):
    AGENDA_SETTING = "agenda_setting"
    PROGRAMME_DEFINITION = "programme_definition"
    IMPLEMENTATION = "implementation"


class InteractionStage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class StrandType(StrEnum):
    SITE = "site"
    SERVICE_STRAND = "service_strand"
    PLATFORM_COMPONENT = "platform_component"


class ActorClass(StrEnum):
    STATE_DIRECT = "state_direct"
    STATE_INDIRECT_CONTRACTED = "state_indirect_contracted"
    LAY_INDIVIDUAL = "lay_individual"
    LAY_GROUP = "lay_group"
    LAY_ORGANISATION = "lay_organisation"


class OrgType(StrEnum):
    GOVERNMENT_UNIT = "government_unit"
    PUBLIC_COMPANY = "public_company"
    FOR_PROFIT_PROVIDER = "for_profit_provider"
    NGO_ASSOCIATION = "ngo_association"
    USER_LED_ORG = "user_led_org"
    COMMUNITY_GROUP = "community_group"
    UNIVERSITY_RESEARCH = "university_research"
    PRIVATE_FIRM_INNOVATOR = "private_firm_innovator"
    PLATFORM_APP_DEVELOPER = "platform_app_developer"
    VOLUNTEER_NETWORK = "volunteer_network"
    FUNDER_PHILANTHROPY = "funder_philanthropy"
    POLITICAL_OFFICE = "political_office"


class ProgrammeRole(StrEnum):
    COMMISSIONER = "commissioner"
    FUNDER = "funder"
    PROVIDER = "provider"
    FACILITATOR = "facilitator"
    CO_DESIGNER = "co_designer"
    CO_DELIVERER = "co_deliverer"
    CO_ASSESSOR = "co_assessor"
    BENEFICIARY_REPRESENTATIVE = "beneficiary_representative"
    SPONSOR = "sponsor"


class AlfordRole(StrEnum):
    CONSUMER = "consumer"
    SUPPLIER = "supplier"
    PARTNER = "partner"


class LayRole(StrEnum):
    CLIENT_USER = "client_user"
    CITIZEN = "citizen"
    VOLUNTEER = "volunteer"
    CUSTOMER = "customer"


class FundingType(StrEnum):
    RECURRENT_BUDGET = "recurrent_budget"
    DISCRETIONARY_POLITICAL_ALLOCATION = "discretionary_political_allocation"
    PROJECT_GRANT = "project_grant"
    EU_STRUCTURAL_FUND = "eu_structural_fund"
    PHILANTHROPY = "philanthropy"
    USER_FEES = "user_fees"
    IN_KIND = "in_kind"


class AllocationProcedure(StrEnum):
    OPEN_CALL = "open_call"
    RESTRICTED_INVITATION = "restricted_invitation"
    NEGOTIATED = "negotiated"
    DIRECT_AWARD = "direct_award"
    DISCRETIONARY_GRANT = "discretionary_grant"
    STATUTORY_ENTITLEMENT = "statutory_entitlement"
    UNKNOWN = "unknown"


class PeriodStatus(StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    LOCKED = "locked"


class ResultLevel(StrEnum):
    INPUT = "input"
    ACTIVITY = "activity"
    OUTPUT = "output"
    OUTCOME_SHORT = "outcome_short"
    OUTCOME_INTERMEDIATE = "outcome_intermediate"
    IMPACT = "impact"
    CONTEXT = "context"

    @property
    def is_outcome(self) -> bool:
        return self in (ResultLevel.OUTCOME_SHORT, ResultLevel.OUTCOME_INTERMEDIATE)


class RbaQuadrant(StrEnum):
    """Friedman's Results-Based Accountability performance-measure quadrant."""

    HOW_MUCH = "how_much"
    HOW_WELL = "how_well"
    BETTER_OFF = "better_off"


class BetterOffType(StrEnum):
    SKILLS_KNOWLEDGE = "skills_knowledge"
    ATTITUDE_OPINION = "attitude_opinion"
    BEHAVIOUR = "behaviour"
    CIRCUMSTANCE = "circumstance"


class AccountabilityType(StrEnum):
    PERFORMANCE = "performance"
    POPULATION = "population"


class AttributionClaim(StrEnum):
    ATTRIBUTION = "attribution"
    CONTRIBUTION = "contribution"
    NONE = "none"


class Unit(StrEnum):
    PERCENT = "percent"
    RATE_PER_1000 = "rate_per_1000"
    RATE = "rate"  # on another base (per 100 km, per 100 users): say which in denominator_def
    COUNT = "count"
    HOURS = "hours"
    SCORE_0_100 = "score_0_100"
    RATIO = "ratio"
    DAYS = "days"
    CURRENCY = "currency"
    INDEX = "index"

    @property
    def needs_numerator_and_denominator(self) -> bool:
        # PIRS: percentages and rates must define what is counted over what.
        return self in (Unit.PERCENT, Unit.RATE_PER_1000, Unit.RATE)


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN_RANGE = "maintain_range"


class VerificationType(StrEnum):
    SELF_REPORT_PROVIDER = "self_report_provider"
    SELF_REPORT_USER = "self_report_user"
    ADMINISTRATIVE = "administrative"
    INDEPENDENT_SURVEY = "independent_survey"
    INDEPENDENT_VERIFICATION = "independent_verification"
    OBSERVATION = "observation"


class QualityStatus(StrEnum):
    PROVISIONAL = "provisional"
    VERIFIED = "verified"
    ESTIMATED = "estimated"
    IMPUTED = "imputed"


class Frequency(StrEnum):
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"
    MONTHLY = "monthly"
    ONE_OFF = "one_off"


class ResultLinkStrength(StrEnum):
    HYPOTHESISED = "hypothesised"
    EVIDENCE_SUPPORTED = "evidence_supported"


class RiskCategory(StrEnum):
    CO_DESTRUCTION = "co_destruction"
    CLIENTELISM = "clientelism"
    SUSTAINABILITY = "sustainability"
    EQUITY = "equity"
    DATA_INTEGRITY = "data_integrity"


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class FlagStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    MITIGATING = "mitigating"
    CLOSED_RESOLVED = "closed_resolved"
    CLOSED_FALSE_POSITIVE = "closed_false_positive"
    SUPPRESSED_INSUFFICIENT_DATA = "suppressed_insufficient_data"


class ChecklistAnswer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "n/a"


class CapacityLevel(StrEnum):
    INDIVIDUAL = "individual"
    ORGANIZATIONAL = "organizational"
    SYSTEMIC = "systemic"


class Competence(StrEnum):
    ANALYTICAL = "analytical"
    OPERATIONAL = "operational"
    POLITICAL = "political"


class ActorScope(StrEnum):
    STATE = "state"
    LAY_NON_STATE = "lay_non_state"
    WHOLE_SYSTEM = "whole_system"


class AssessmentMethod(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    PEER_REVIEW = "peer_review"
    EXTERNAL = "external"


class EvidenceType(StrEnum):
    DOCUMENT = "document"
    DATASET = "dataset"
    SURVEY = "survey"
    INTERVIEW_NOTES = "interview_notes"
    FOCUS_GROUP = "focus_group"
    OBSERVATION_VISIT = "observation_visit"
    PHOTO = "photo"
    MINUTES = "minutes"
    VERIFICATION_REPORT = "verification_report"
    AUDIT = "audit"
    MEDIA = "media"
    COMPLAINT_LOG = "complaint_log"
    APPRECIATIVE_INQUIRY = "appreciative_inquiry"
    PEER_LEARNING_RECORD = "peer_learning_record"


class Confidentiality(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED_PERSONAL = "restricted_personal"


class Reliability(StrEnum):
    A = "A"  # independent, systematic
    B = "B"  # systematic, programme-produced
    C = "C"  # anecdotal


class IndicatorRiskRole(StrEnum):
    """What a risk rule reads an indicator as, where its level and unit cannot say (CD-4, CD-5)."""

    MISUSE_RATE = "misuse_rate"  # avoidable or inappropriate service use (CD-4)
    LIMITED_LITERACY_SHARE = "limited_literacy_share"  # % of users with limited literacy (CD-5)
    SUFFICIENT_LITERACY_SHARE = "sufficient_literacy_share"  # its complement (CD-5)
    # % of certified units (villages declared ODF) still passing re-verification (SU-6)
    REVERIFIED_SUSTAINED_SHARE = "reverified_sustained_share"


class DataLabel(StrEnum):
    """Provenance of a figure in sample data: real public figure or illustrative."""

    REAL = "R"
    ILLUSTRATIVE = "I"


#: Standard disaggregation dimensions (domain §1.6); users may add their own codes.
STANDARD_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "other_undisclosed"),
    "age_band": ("0-4", "5-14", "15-24", "25-44", "45-64", "65-74", "75+"),
    "disability_wgss": ("none_some_difficulty", "a_lot_of_difficulty_cannot_do"),
    "digital_access": ("no_access", "access_no_skills", "basic_user", "full_user"),
    "social_group": (),
    "income_quintile": ("Q1", "Q2", "Q3", "Q4", "Q5"),
    "locality": ("urban", "peri_urban", "rural"),
    "site_strand": (),
    "provider": (),
    "channel": ("online", "phone", "in_person", "assisted_digital"),
}
