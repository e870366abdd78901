from django.db import migrations, models


class Migration(migrations.Migration):
    """Accounts that exist already count as confirmed: only a sign-up made from now on waits for its link."""

    dependencies = [
        ("accounts", "0008_names_on_one_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed",
            field=models.BooleanField(default=True),
        ),
    ]
