"""risk run: when each programme's risk rules last ran, when a locked quarter was judged, and
the partial covering indexes the rules read observations through

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 13:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('risk_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('ran_at', sa.DateTime(), nullable=False),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('up_to', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id')
    )
    # a programme that already has flags was checked before this table existed
    op.execute("INSERT INTO risk_run (programme_id, ran_at, user, up_to, flags) "
               "SELECT programme_id, datetime('now'), 'before version 0005', NULL, count(*) "
               "FROM risk_flag GROUP BY programme_id")
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules_ran_at', sa.DateTime(), nullable=True))
    # a locked quarter that already has flags was judged before it was locked
    op.execute("UPDATE reporting_period SET rules_ran_at = datetime('now') "
               "WHERE status = 'locked' AND EXISTS (SELECT 1 FROM risk_flag AS f WHERE "
               "f.programme_id = reporting_period.programme_id "
               "AND f.period = reporting_period.quarter)")


    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index('ix_observation_totals', ['indicator_id', 'strand_id', 'period',
                              'value', 'n_sample', 'verification_type'], unique=False,
                              sqlite_where=sa.text("dims_key = ''"))
        batch_op.create_index('ix_observation_cells', ['indicator_id', 'period', 'strand_id',
                              'dims_key', 'value', 'n_sample'], unique=False,
                              sqlite_where=sa.text("dims_key <> '' AND instr(dims_key, ';') = 0"))


def downgrade() -> None:
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index('ix_observation_cells')
        batch_op.drop_index('ix_observation_totals')
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.drop_column('rules_ran_at')
    op.drop_table('risk_run')
