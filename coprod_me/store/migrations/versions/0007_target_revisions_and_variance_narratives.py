"""Target revisions and variance narratives: a changed target keeps the value it replaced
and the reason (funders ask for revised targets with their justification), and the IPTT's
deviation narrative is kept per indicator, strand and quarter

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 02:52:24.080415
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('variance_narrative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('strand_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.ForeignKeyConstraint(['strand_id'], ['strand.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'strand_id', 'period')
    )
    with op.batch_alter_table('variance_narrative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variance_narrative_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_variance_narrative_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('target_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('previous_value', sa.Float(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('revised_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('revised_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('target_id', 'revision')
    )
    with op.batch_alter_table('target_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_revision_target_id'), ['target_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('target_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_revision_target_id'))

    op.drop_table('target_revision')
    with op.batch_alter_table('variance_narrative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variance_narrative_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_variance_narrative_import_batch_id'))

    op.drop_table('variance_narrative')
