from django.urls import path

from . import views
from .feeds import LatestPostsFeed

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("faqs/", views.FAQListView.as_view(), name="faqs"),
    path("news/", views.PostListView.as_view(), name="post_list"),
    path("news/feed/", LatestPostsFeed(), name="post_feed"),
    path("news/<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
    # Keep this catch-all for content pages LAST: it matches any /<slug>/.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page"),
]
