"""Reports for the paper: the methods section and its appendix, and the audit trail. Every
number is read through the same facades the commands use (see docs/reports.md)."""
