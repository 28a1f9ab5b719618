"""(Issue 10: the certificates in the admin, filled in by its helper.)"""
