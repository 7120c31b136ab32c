"""gklint: lint 政府信息公开工作年度报告."""

__version__ = "0.2.0"

# The project's home; SARIF's informationUri and the default base of each rule's helpUri
# (`docs-url` in the configuration changes the latter).
HOMEPAGE = "https://github.com/gklint/gklint"
DOCS_URL = HOMEPAGE + "/blob/main/docs/rules.md#{anchor}"
