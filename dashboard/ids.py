"""Component IDs: ``PAGE_THING`` constants, kebab-case values prefixed by their page."""

# the app shell
SHELL_LOCATION = "shell-location"

# home page
HOME_TRACE_THEFT = "home-trace-theft"
HOME_ADDRESS = "home-address-input"
HOME_CHAIN = "home-chain-select"
HOME_SUBMIT = "home-submit"
HOME_ADDRESS_HELP = "home-address-help"
HOME_NAV = "home-nav"

# address page: the form
ADDRESS_ADDRESS = "address-address-input"
ADDRESS_CHAIN = "address-chain-select"
ADDRESS_SUBMIT = "address-submit"
ADDRESS_ADDRESS_HELP = "address-address-help"
ADDRESS_NAV = "address-nav"
ADDRESS_PARAM = "address-param"  # pattern {"type": ADDRESS_PARAM, "name": field}
ADDRESS_PARAM_HELP = "address-param-help"  # pattern {"type": ADDRESS_PARAM_HELP, "name": field}
ADDRESS_TRACE_LINK = "address-trace-link"
ADDRESS_SHARE_LINK = "address-share-link"
ADDRESS_COPY = "address-copy"

# address page: results
ADDRESS_REQUEST = "address-request"
ADDRESS_READY = "address-ready"
ADDRESS_ALERT = "address-alert"
ADDRESS_RESULTS = "address-results"
ADDRESS_SCORE = "address-score"
ADDRESS_TESTS = "address-tests"
ADDRESS_TIMELINE = "address-timeline"
ADDRESS_HISTOGRAM = "address-histogram"
ADDRESS_COUNTERPARTIES = "address-counterparties"
ADDRESS_ASSET = "address-asset-select"

# address page: the transfer table
ADDRESS_TABLE = "address-table"
ADDRESS_TABLE_BODY = "address-table-body"
ADDRESS_PAGES = "address-pages"
ADDRESS_SORT = "address-sort"
ADDRESS_TABLE_COUNT = "address-table-count"
ADDRESS_DATES = "address-dates"
ADDRESS_MIN_AMOUNT = "address-min-amount"
ADDRESS_MAX_AMOUNT = "address-max-amount"
ADDRESS_FLAG_FILTER = "address-flag-filter"

# trace page
TRACE_NAV = "trace-nav"
TRACE_REQUEST = "trace-request"
TRACE_ALERT = "trace-alert"
TRACE_SHARE_LINK = "trace-share-link"
TRACE_FILTER = "trace-filter"  # pattern {"type": TRACE_FILTER, "name": field}
TRACE_APPLY = "trace-apply"
TRACE_FILTER_HELP = "trace-filter-help"
TRACE_SUMMARY = "trace-summary"
TRACE_GRAPH = "trace-graph"
TRACE_NODE = "trace-node"
TRACE_EDGE = "trace-edge"
TRACE_EXITS = "trace-exits"
TRACE_EXPORT_FORMAT = "trace-export-format"
TRACE_EXPORT = "trace-export"
TRACE_DOWNLOAD = "trace-download"
