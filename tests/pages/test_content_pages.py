import xml.etree.ElementTree as ET

import pytest

from pages.models import Page, Post
from tests.factories import FAQFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_content_page_shows_its_title_markdown_body_and_breadcrumbs(client):
    page = PageFactory(slug="about", title="About the review", body="We **listened** first.")
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>About the review – Independent Review of Children&#x27;s Social Care</title>" in html
    assert "<strong>listened</strong>" in html
    assert f'aria-current="page">{page.title}</li>' in html


def test_content_page_body_is_sanitised(client):
    PageFactory(slug="privacy", body="<script>alert(1)</script>[x](javascript:alert(2))")
    html = client.get("/privacy/").content.decode()
    assert "alert(1)</script>" not in html
    assert "javascript:" not in html


def test_unknown_content_page_is_not_found(client):
    assert client.get("/not-a-page/").status_code == 404


def test_fixed_addresses_win_over_content_pages_with_the_same_slug(client):
    PageFactory(slug="news", title="A page called news")
    PageFactory(slug="faqs", title="A page called faqs")
    assert "A page called news" not in client.get("/news/").content.decode()
    assert "A page called faqs" not in client.get("/faqs/").content.decode()


def test_header_and_footer_link_the_pages_staff_chose_in_their_order(client):
    PageFactory(slug="get-involved", title="Get involved", nav_location=Page.NavLocation.HEADER, nav_order=2)
    PageFactory(slug="about", title="About the review", nav_label="About", nav_location="header", nav_order=1)
    PageFactory(slug="privacy", title="Privacy notice", nav_location=Page.NavLocation.FOOTER)
    PageFactory(slug="unlinked", title="Not in any menu")
    html = client.get("/").content.decode()
    nav = html[html.index("govuk-service-navigation__list") : html.index("</nav>")]
    assert nav.index('href="/about/">About</a>') < nav.index('href="/get-involved/">Get involved</a>')
    footer = html[html.index("govuk-footer") :]
    assert 'href="/privacy/">Privacy notice</a>' in footer
    assert "/unlinked/" not in html


def test_sitemap_lists_home_faqs_news_published_posts_and_content_pages(client):
    PageFactory(slug="about")
    FAQFactory()
    published = PostFactory(slug="out-now")
    PostFactory(slug="secret-draft", status=Post.Status.DRAFT, published_at=None)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    for path in ("/", "/faqs/", "/news/", published.get_absolute_url(), "/about/"):
        assert f"http://testserver{path}" in locations
    assert "http://testserver/news/secret-draft/" not in locations


def test_robots_txt_points_to_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_every_inner_page_has_breadcrumbs_and_the_site_name_in_its_title(client):
    page = PageFactory(slug="contact", title="Contact the review")
    post = PostFactory(title="Some news")
    FAQFactory()
    for url, crumb, title in [
        ("/faqs/", "FAQs", "Frequently asked questions"),
        ("/news/", "News and blogs", "News and blogs"),
        (post.get_absolute_url(), "Some news", "Some news"),
        (page.get_absolute_url(), "Contact the review", "Contact the review"),
    ]:
        html = client.get(url).content.decode()
        assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html, url
        assert f'aria-current="page">{crumb}</li>' in html, url
        assert f"<title>{title} – Independent Review of Children&#x27;s Social Care</title>" in html, url


def test_favicon_ico_leads_to_an_icon_that_exists(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.ico"
    icon = finders.find("images/favicon.ico")
    assert icon is not None
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # the ICO header
