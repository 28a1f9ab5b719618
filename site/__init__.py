"""Project configuration of Formations CQCTP (the folder site/, imported as `cqctp`)."""
