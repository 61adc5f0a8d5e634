"""Alerts on evidence, on watched regions and on new DOL listings (graph/models/alerts.py): band-rise columns become optional."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('backend', '0003_imported_record'),
        ('graph', '0010_site_aliases_and_extra'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='riskalert',
            name='evidence_id',
            field=models.BigIntegerField(help_text='The finding, grievance or DOL listing alerted about.', null=True),
        ),
        migrations.AddField(
            model_name='riskalert',
            name='evidence_kind',
            field=models.CharField(choices=[('finding', 'Audit finding'), ('grievance', 'Grievance'), ('dol_listing', 'DOL listing')], max_length=20, null=True),
        ),
        migrations.AddField(
            model_name='riskalert',
            name='kind',
            field=models.CharField(choices=[('band_rise', "A node's band rose"), ('evidence', 'Serious evidence in the network'), ('region_evidence', 'New evidence in a watched region or commodity'), ('region_band', "A watched region's band rose"), ('dol_listing', 'A new DOL listing for a good sourced from a country')], db_default='band_rise', default='band_rise', max_length=20),
        ),
        migrations.AddField(
            model_name='riskalert',
            name='path',
            field=models.JSONField(help_text="Evidence: the sites from the evidence's site down to the company.", null=True),
        ),
        migrations.AddField(
            model_name='riskalert',
            name='summary',
            field=models.CharField(blank=True, db_default='', max_length=300),
        ),
        migrations.AlterField(
            model_name='riskalert',
            name='dimension',
            field=models.CharField(choices=[('child_labour', 'Child labour'), ('forced_labour', 'Forced labour')], max_length=15, null=True),
        ),
        migrations.AlterField(
            model_name='riskalert',
            name='from_band',
            field=models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('severe', 'Severe')], max_length=10, null=True),
        ),
        migrations.AlterField(
            model_name='riskalert',
            name='rise_of',
            field=models.DateTimeField(help_text='Band rises: computed_at of the score the band rose from.', null=True),
        ),
        migrations.AlterField(
            model_name='riskalert',
            name='score',
            field=models.FloatField(null=True),
        ),
        migrations.AlterField(
            model_name='riskalert',
            name='to_band',
            field=models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('severe', 'Severe')], max_length=10, null=True),
        ),
        migrations.CreateModel(
            name='RegionWatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('countries', models.JSONField(blank=True, default=list)),
                ('subdivisions', models.JSONField(blank=True, default=list)),
                ('commodities', models.JSONField(blank=True, default=list, help_text='Commodity codes.')),
                ('region_bands', models.JSONField(blank=True, default=dict, help_text='Last band seen per watched region and dimension: {"IN-TN|forced_labour": "high"}.')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, help_text='When the company last set it: evidence recorded since then is new to it.')),
                ('company', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='backend.organization')),
            ],
        ),
        migrations.AddField(
            model_name='riskalert',
            name='watch',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='graph.regionwatch'),
        ),
        migrations.AddConstraint(
            model_name='riskalert',
            constraint=models.UniqueConstraint(condition=models.Q(('evidence_id__isnull', False)), fields=('company', 'evidence_kind', 'evidence_id'), name='risk_alert_once_per_evidence'),
        ),
    ]
