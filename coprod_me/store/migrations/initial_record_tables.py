"""Revision 0001, continued: the programme's record tables (allocation to funding_source).

Part of the frozen initial migration (versions/0001_initial_schema.py), which calls these in
the order Alembic generated them; in their own module only so that neither file runs to a
thousand lines. Never edit it: every database that ran 0001 has exactly these tables.
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


def create_allocation() -> None:
    op.create_table('allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('provider_actor_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('places_or_hours', sa.Float(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('procedure', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('call_reference', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('call_published', sa.Boolean(), nullable=True),
    sa.Column('advert_days', sa.Integer(), nullable=True),
    sa.Column('n_applicants', sa.Integer(), nullable=True),
    sa.Column('n_valid_applicants', sa.Integer(), nullable=True),
    sa.Column('modified_after_award', sa.Boolean(), nullable=False),
    sa.Column('value_change_pct', sa.Float(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=True),
    sa.Column('decision_published', sa.Boolean(), nullable=True),
    sa.Column('coi_declared', sa.Boolean(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['provider_actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'code')
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_programme_id'), ['programme_id'], unique=False)


def create_capacity_score() -> None:
    op.create_table('capacity_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('competence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('descriptor', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['capacity_assessment.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assessment_id', 'level', 'competence')
    )
    with op.batch_alter_table('capacity_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_score_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_score_import_batch_id'), ['import_batch_id'], unique=False)


def create_channel_record() -> None:
    op.create_table('channel_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('opportunities_total', sa.Integer(), nullable=True),
    sa.Column('opportunities_online_only', sa.Integer(), nullable=True),
    sa.Column('assisted_alternative_available', sa.Boolean(), nullable=True),
    sa.Column('assisted_share_of_contributions_pct', sa.Float(), nullable=True),
    sa.Column('digitally_excluded_share_pct', sa.Float(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period')
    )
    with op.batch_alter_table('channel_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_record_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_record_programme_id'), ['programme_id'], unique=False)


def create_checklist_response() -> None:
    op.create_table('checklist_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('item_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('respondent', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period', 'item_code')
    )
    with op.batch_alter_table('checklist_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_response_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_response_programme_id'), ['programme_id'], unique=False)


def create_evidence_link() -> None:
    op.create_table('evidence_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evidence_id', 'entity', 'entity_key')
    )
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_link_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_link_import_batch_id'), ['import_batch_id'], unique=False)


def create_feedback_record() -> None:
    op.create_table('feedback_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('provider_actor_id', sa.Integer(), nullable=True),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('interaction_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('active_users', sa.Integer(), nullable=True),
    sa.Column('complaints_received', sa.Integer(), nullable=True),
    sa.Column('complaints_resolved_30d', sa.Integer(), nullable=True),
    sa.Column('complaints_handled_by_independent_body', sa.Boolean(), nullable=True),
    sa.Column('satisfaction_mean_0_100', sa.Float(), nullable=True),
    sa.Column('satisfied_share_pct', sa.Float(), nullable=True),
    sa.Column('satisfaction_n', sa.Integer(), nullable=True),
    sa.Column('proposals_received', sa.Integer(), nullable=True),
    sa.Column('proposals_responded_30d', sa.Integer(), nullable=True),
    sa.Column('proposals_adopted', sa.Integer(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['provider_actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period', 'provider_actor_id')
    )
    with op.batch_alter_table('feedback_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_record_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_record_programme_id'), ['programme_id'], unique=False)


def create_indicator() -> None:
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('result_level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rba_quadrant', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('better_off_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('accountability_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('attribution_claim', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('numerator_def', sa.Text(), nullable=True),
    sa.Column('denominator_def', sa.Text(), nullable=True),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('range_min', sa.Float(), nullable=True),
    sa.Column('range_max', sa.Float(), nullable=True),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('baseline_source', sa.Text(), nullable=True),
    sa.Column('baseline_method', sa.Text(), nullable=True),
    sa.Column('amber_at', sa.Float(), nullable=True),
    sa.Column('red_at', sa.Float(), nullable=True),
    sa.Column('phases', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('coproduction_level', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('disaggregation_required', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('data_source', sa.Text(), nullable=True),
    sa.Column('collection_method', sa.Text(), nullable=True),
    sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('responsible_role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('verification_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('co_defined_with_lay_actors', sa.Boolean(), nullable=False),
    sa.Column('co_defined_evidence_id', sa.Integer(), nullable=True),
    sa.Column('construct_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('is_cumulative', sa.Boolean(), nullable=False),
    sa.Column('is_seasonal', sa.Boolean(), nullable=False),
    sa.Column('post_exit_measurement_due', sa.Date(), nullable=True),
    sa.Column('known_limitations', sa.Text(), nullable=True),
    sa.Column('evidence_standard', sa.Integer(), nullable=True),
    sa.Column('baseline_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['co_defined_evidence_id'], ['evidence.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'code')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_programme_id'), ['programme_id'], unique=False)


def create_participation_record() -> None:
    op.create_table('participation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('group_dimension', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=True),
    sa.Column('active', sa.Integer(), nullable=True),
    sa.Column('new', sa.Integer(), nullable=True),
    sa.Column('continuing_active', sa.Integer(), nullable=True),
    sa.Column('exited', sa.Integer(), nullable=True),
    sa.Column('started_tasks', sa.Integer(), nullable=True),
    sa.Column('completed_tasks', sa.Integer(), nullable=True),
    sa.Column('contributions', sa.Integer(), nullable=True),
    sa.Column('contributions_online', sa.Integer(), nullable=True),
    sa.Column('top10pct_contrib_share', sa.Float(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period', 'phase', 'group_dimension', 'group_category')
    )
    with op.batch_alter_table('participation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_record_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_record_programme_id'), ['programme_id'], unique=False)


def create_population_reference() -> None:
    op.create_table('population_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('geo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_dimension', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('population_count', sa.Float(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'geo', 'group_dimension', 'group_category', 'year')
    )
    with op.batch_alter_table('population_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_reference_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_population_reference_programme_id'), ['programme_id'], unique=False)


def create_programme_actor() -> None:
    op.create_table('programme_actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('alford_role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('lay_role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('is_beneficiary_represented', sa.Boolean(), nullable=False),
    sa.Column('decision_body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('seats_on_decision_body', sa.Integer(), nullable=True),
    sa.Column('total_seats_decision_body', sa.Integer(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'actor_id', 'role', 'phase', 'strand_id')
    )
    with op.batch_alter_table('programme_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_actor_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_actor_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_actor_programme_id'), ['programme_id'], unique=False)


def create_programme_phase() -> None:
    op.create_table('programme_phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('intensity', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('policy_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('lay_actor_roles', sa.Text(), nullable=True),
    sa.Column('decision_rights_text', sa.Text(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'phase', 'level')
    )
    with op.batch_alter_table('programme_phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_phase_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_phase_programme_id'), ['programme_id'], unique=False)


def create_risk_flag() -> None:
    op.create_table('risk_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('rule_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('rule_version', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('computed_severity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('trigger_snapshot', sa.Text(), nullable=True),
    sa.Column('first_raised_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('consecutive_periods', sa.Integer(), nullable=False),
    sa.Column('evaluator_judgement', sa.Text(), nullable=True),
    sa.Column('override_severity', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('mitigation', sa.Text(), nullable=True),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period', 'rule_id', 'subject')
    )
    with op.batch_alter_table('risk_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_flag_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_flag_programme_id'), ['programme_id'], unique=False)


def create_spend_record() -> None:
    op.create_table('spend_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period')
    )
    with op.batch_alter_table('spend_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spend_record_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_record_programme_id'), ['programme_id'], unique=False)


def create_sponsor() -> None:
    op.create_table('sponsor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('office_title', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('party', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end_date', sa.Date(), nullable=True),
    sa.Column('next_election_date', sa.Date(), nullable=True),
    sa.Column('commitment_beyond_term', sa.Boolean(), nullable=False),
    sa.Column('commitment_evidence_id', sa.Integer(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['commitment_evidence_id'], ['evidence.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'code')
    )
    with op.batch_alter_table('sponsor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sponsor_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sponsor_programme_id'), ['programme_id'], unique=False)


def create_staffing_record() -> None:
    op.create_table('staffing_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('provider_actor_id', sa.Integer(), nullable=True),
    sa.Column('hires_total', sa.Integer(), nullable=True),
    sa.Column('hires_with_public_vacancy', sa.Integer(), nullable=True),
    sa.Column('hires_with_political_referral', sa.Integer(), nullable=True),
    sa.Column('staff_turnover_pct', sa.Float(), nullable=True),
    sa.Column('workload_score', sa.Float(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['provider_actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'strand_id', 'period', 'provider_actor_id')
    )
    with op.batch_alter_table('staffing_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffing_record_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staffing_record_programme_id'), ['programme_id'], unique=False)


def create_funding_source() -> None:
    op.create_table('funding_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('funder_actor_id', sa.Integer(), nullable=True),
    sa.Column('sponsor_id', sa.Integer(), nullable=True),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('committed_amount', sa.Float(), nullable=True),
    sa.Column('committed_on', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('is_renewable', sa.Boolean(), nullable=False),
    sa.Column('renewal_decision_date', sa.Date(), nullable=True),
    sa.Column('data_label', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['funder_actor_id'], ['actor.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.ForeignKeyConstraint(['sponsor_id'], ['sponsor.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'code')
    )
    with op.batch_alter_table('funding_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_source_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_source_programme_id'), ['programme_id'], unique=False)


def drop_funding_source() -> None:
    with op.batch_alter_table('funding_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_source_programme_id'))
        batch_op.drop_index(batch_op.f('ix_funding_source_import_batch_id'))

    op.drop_table('funding_source')


def drop_staffing_record() -> None:
    with op.batch_alter_table('staffing_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffing_record_programme_id'))
        batch_op.drop_index(batch_op.f('ix_staffing_record_import_batch_id'))

    op.drop_table('staffing_record')


def drop_sponsor() -> None:
    with op.batch_alter_table('sponsor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sponsor_programme_id'))
        batch_op.drop_index(batch_op.f('ix_sponsor_import_batch_id'))

    op.drop_table('sponsor')


def drop_spend_record() -> None:
    with op.batch_alter_table('spend_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spend_record_programme_id'))
        batch_op.drop_index(batch_op.f('ix_spend_record_import_batch_id'))

    op.drop_table('spend_record')


def drop_risk_flag() -> None:
    with op.batch_alter_table('risk_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_flag_programme_id'))
        batch_op.drop_index(batch_op.f('ix_risk_flag_import_batch_id'))

    op.drop_table('risk_flag')


def drop_programme_phase() -> None:
    with op.batch_alter_table('programme_phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_phase_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_phase_import_batch_id'))

    op.drop_table('programme_phase')


def drop_programme_actor() -> None:
    with op.batch_alter_table('programme_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_actor_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_actor_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_programme_actor_actor_id'))

    op.drop_table('programme_actor')


def drop_population_reference() -> None:
    with op.batch_alter_table('population_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_reference_programme_id'))
        batch_op.drop_index(batch_op.f('ix_population_reference_import_batch_id'))

    op.drop_table('population_reference')


def drop_participation_record() -> None:
    with op.batch_alter_table('participation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_record_programme_id'))
        batch_op.drop_index(batch_op.f('ix_participation_record_import_batch_id'))

    op.drop_table('participation_record')


def drop_indicator() -> None:
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_programme_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_import_batch_id'))

    op.drop_table('indicator')


def drop_feedback_record() -> None:
    with op.batch_alter_table('feedback_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_record_programme_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_record_import_batch_id'))

    op.drop_table('feedback_record')


def drop_evidence_link() -> None:
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_link_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_link_evidence_id'))

    op.drop_table('evidence_link')


def drop_checklist_response() -> None:
    with op.batch_alter_table('checklist_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_response_programme_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_response_import_batch_id'))

    op.drop_table('checklist_response')


def drop_channel_record() -> None:
    with op.batch_alter_table('channel_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_record_programme_id'))
        batch_op.drop_index(batch_op.f('ix_channel_record_import_batch_id'))

    op.drop_table('channel_record')


def drop_capacity_score() -> None:
    with op.batch_alter_table('capacity_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_score_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_score_assessment_id'))

    op.drop_table('capacity_score')


def drop_allocation() -> None:
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_programme_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_import_batch_id'))

    op.drop_table('allocation')
