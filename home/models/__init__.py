"""The public site's pages and settings, one module per concept."""

from .campaigns import CampaignIndexPage, CampaignPage
from .pages import HomePage, StandardPage
from .site_settings import SiteSettings

__all__ = ["CampaignIndexPage", "CampaignPage", "HomePage", "SiteSettings", "StandardPage"]
