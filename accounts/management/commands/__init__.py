"""``manage.py`` commands: ``run_sweeps`` for cron on a single machine."""
