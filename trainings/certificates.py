"""Attendance certificates. (Issue 10: filled in by its helper.)"""


def download_urls(enrolments, viewer):
    """{enrolment pk: address of its certificate} for those `viewer` may download."""
    return {}
