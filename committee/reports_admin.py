"""(Issue 10: filled in by its helper.)"""
