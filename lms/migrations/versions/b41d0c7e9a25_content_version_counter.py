"""content version counter

Revision ID: b41d0c7e9a25
Revises: 59285427652a
Create Date: 2026-11-26 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41d0c7e9a25'
down_revision = '59285427652a'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'number': 0}])


def downgrade():
    op.drop_table('content_version')
