"""The built-in survey templates: questions a coordinator starts from (and may edit while a draft)."""

AGREE = "agreement"

PULSE = [
    ("respect-customers", "Customers treat me with respect.", AGREE),
    ("respect-colleagues", "My colleagues treat me with respect.", AGREE),
    ("respect-manager", "My manager treats me with respect.", AGREE),
    ("support-difficult", "I get the support I need after a difficult customer contact.", AGREE),
    ("respect-comment", "What would make work more respectful for you?", "text"),
]

STAFF = [
    ("proud", "I am proud to work here.", AGREE),
    ("tools", "I have the tools I need to help customers.", AGREE),
    ("training", "I get the training I need to do my job well.", AGREE),
    ("workload", "My workload is manageable.", AGREE),
    ("recognised", "I am recognised when I do good work.", AGREE),
    ("manager-support", "My manager supports my development.", AGREE),
    ("team", "My team works well together.", AGREE),
    ("heard", "My ideas are listened to.", AGREE),
    ("schedule", "My schedule lets me balance work and life.", AGREE),
    ("future", "I see a future for myself here.", AGREE),
    ("enps", "How likely are you to recommend working here to a friend?", "scale"),
    ("improve", "What one thing would improve your work?", "text"),
]

ENPS = [
    ("enps", "How likely are you to recommend working here to a friend?", "scale"),
    ("enps-why", "What is the main reason for your score?", "text"),
]

TEMPLATES = {"pulse": PULSE, "staff": STAFF, "enps": ENPS, "scratch": []}

TITLES = {
    "pulse": "Service with Respect pulse",
    "staff": "Staff satisfaction survey",
    "enps": "Employee Net Promoter Score",
}
