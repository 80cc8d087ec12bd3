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
    path("updates/", views.UpdatesSignUpView.as_view(), name="updates"),
    path("updates/check-your-email/", views.UpdatesCheckEmailView.as_view(), name="updates_check_email"),
    path("updates/confirm/<str:token>/", views.UpdatesConfirmView.as_view(), name="updates_confirm"),
    path("updates/unsubscribe/<str:token>/", views.UpdatesUnsubscribeView.as_view(), name="updates_unsubscribe"),
    path("updates/unsubscribed/", views.UpdatesUnsubscribedView.as_view(), name="updates_unsubscribed"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("get-involved/", views.GetInvolvedView.as_view(), name="get_involved"),
    # Keep this catch-all for content pages LAST: it matches any /<slug>/.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page"),
]
