"""IATI activity fields and DHIS2 mappings: what an IATI 2.03 activity needs beyond the
programme profile (identifier, reporting organisation, status, sector, language), and how a
programme's indicators, strands and breakdowns are named in a DHIS2 instance

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 01:27:02.849822
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dhis2_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'kind', 'source')
    )
    with op.batch_alter_table('dhis2_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dhis2_mapping_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dhis2_mapping_programme_id'), ['programme_id'], unique=False)

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iati_identifier', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('reporting_org_ref', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('reporting_org_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('reporting_org_type', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True))
        batch_op.add_column(sa.Column('activity_status', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True))
        batch_op.add_column(sa.Column('sector_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('default_language', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('default_language')
        batch_op.drop_column('sector_code')
        batch_op.drop_column('activity_status')
        batch_op.drop_column('reporting_org_type')
        batch_op.drop_column('reporting_org_name')
        batch_op.drop_column('reporting_org_ref')
        batch_op.drop_column('iati_identifier')

    with op.batch_alter_table('dhis2_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dhis2_mapping_programme_id'))
        batch_op.drop_index(batch_op.f('ix_dhis2_mapping_import_batch_id'))

    op.drop_table('dhis2_mapping')
