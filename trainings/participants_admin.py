"""(Issue 10: the participants screens, filled in by its helper.)"""
