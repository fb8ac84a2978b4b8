import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_dashboard_greets_signed_in_agent(client, agent):
    client.force_login(agent)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert f"Hello, {agent.first_name}" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_redirects_anonymous_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
