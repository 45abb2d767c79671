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
HOME_RECENT = "home-recent"
HOME_ACTORS = "home-demo-table"

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
# the report buttons are "address-report-html|pdf|...": dashboard.components.report_jobs names them
ADDRESS_NEW_CASE = "address-new-case"
ADDRESS_IDENTITY = "address-identity"
ADDRESS_PARAMS_FOLD = "address-params-fold"

# address page: results
ADDRESS_REQUEST = "address-request"
ADDRESS_READY = "address-ready"
ADDRESS_ALERT = "address-alert"
ADDRESS_RESULTS = "address-results"
ADDRESS_SCORE = "address-score"
ADDRESS_TESTS = "address-tests"
ADDRESS_PROFILE = "address-profile"
ADDRESS_PROFILE_WAIT = "address-profile-wait"  # polls while the first profile model trains
ADDRESS_EXPOSURE = "address-exposure"
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
TRACE_COPY = "trace-copy"
TRACE_FILTERS_FOLD = "trace-filters-fold"
TRACE_LAYOUT = "trace-layout-select"
TRACE_SEARCH = "trace-search-input"
TRACE_SEARCH_HELP = "trace-search-help"
TRACE_PNG = "trace-png"
TRACE_SVG = "trace-svg"
TRACE_SVG_DOWNLOAD = "trace-svg-download"
TRACE_LEGEND = "trace-legend"
TRACE_FILTER = "trace-filter"  # pattern {"type": TRACE_FILTER, "name": field}
TRACE_APPLY = "trace-apply"
TRACE_FILTER_HELP = "trace-filter-help"
TRACE_SUMMARY = "trace-summary"
TRACE_GRAPH = "trace-graph"
TRACE_TIP = "trace-graph-tip"
TRACE_NODE = "trace-node"
TRACE_EDGE = "trace-edge"
TRACE_EXITS = "trace-exits"
TRACE_EXPORT_FORMAT = "trace-export-format"
TRACE_EXPORT = "trace-export"
TRACE_DOWNLOAD = "trace-download"
TRACE_EXPORT_ERROR = "trace-export-error"

# cases page
CASES_NAV = "cases-nav"
CASES_TEXT = "cases-text"
CASES_STATUS = "cases-status"
CASES_OWNER = "cases-owner"
CASES_ADDRESS = "cases-address"
CASES_SINCE = "cases-since"
CASES_UNTIL = "cases-until"
CASES_SEARCH = "cases-search"
CASES_TABLE = "cases-table"
CASES_NEW_TITLE = "cases-new-title"
CASES_NEW_DESCRIPTION = "cases-new-description"
CASES_NEW_TAGS = "cases-new-tags"
CASES_NEW_ADDRESS = "cases-new-address"
CASES_CREATE = "cases-create"
CASES_ALERT = "cases-alert"

# case page
CASE_ID = "case-id"  # dcc.Store with the case id
CASE_BODY = "case-body"
CASE_ALERT = "case-alert"
CASE_STATUS = "case-status-toggle"
CASE_ITEM_KIND = "case-item-kind"
CASE_ITEM_ADDRESS = "case-item-address"
CASE_ITEM_REF = "case-item-ref"
CASE_ITEM_PARAMS = "case-item-params"
CASE_ITEM_ADD = "case-item-add"
CASE_NOTE_BODY = "case-note-body"
CASE_NOTE_ADDRESS = "case-note-address"
CASE_NOTE_ADD = "case-note-add"
CASE_SHARE_DAYS = "case-share-days"
CASE_SHARE = "case-share"
CASE_REVOKE = "case-revoke"  # pattern {"type": CASE_REVOKE, "link": id}
# the report buttons are "case-report-html|pdf|...": dashboard.components.report_jobs names them

# admin pages and the account page
ADMIN_USERS_TABLE = "admin-users-table"
ADMIN_USER_NAME = "admin-user-name"
ADMIN_USER_ROLE = "admin-user-role"
ADMIN_USER_PASSWORD = "admin-user-password"
ADMIN_USER_ACTION = "admin-user-action"  # pattern {"type": ADMIN_USER_ACTION, "action": add|role|passwd|revoke}
ADMIN_USERS_ALERT = "admin-users-alert"
ADMIN_AUDIT_TABLE = "admin-audit-table"
ACCOUNT_CURRENT = "account-current-password"
ACCOUNT_NEW = "account-new-password"
ACCOUNT_REPEAT = "account-repeat-password"
ACCOUNT_SUBMIT = "account-submit"
ACCOUNT_ALERT = "account-alert"
ACCOUNT_TOKEN_LABEL = "account-token-label"
ACCOUNT_TOKEN_DAYS = "account-token-days"
ACCOUNT_TOKEN_CREATE = "account-token-create"
ACCOUNT_TOKEN_REVOKE = "account-token-revoke"  # pattern {"type": ACCOUNT_TOKEN_REVOKE, "token": id}
ACCOUNT_TOKEN_ALERT = "account-token-alert"
ACCOUNT_TOKEN_NEW = "account-token-new"  # the new token, shown once
ACCOUNT_TOKENS = "account-tokens"

# market page
MARKET_REQUEST = "market-request"
MARKET_INTERVAL = "market-interval"
MARKET_CHART = "market-chart"
MARKET_PAIRS = "market-pairs"
MARKET_ALERTS = "market-alerts"
MARKET_UPDATED = "market-updated"

# address page: live data (dashboard/components/fetching.py)
ADDRESS_DATA = "address-data-panel"
ADDRESS_FETCH = "address-fetch-button"
ADDRESS_FETCH_CANCEL = "address-fetch-cancel"
ADDRESS_FETCH_PROGRESS = "address-fetch-progress"
ADDRESS_FETCH_AUTO = "address-fetch-auto"
ADDRESS_FETCH_TARGET = "address-fetch-target"
ADDRESS_FETCH_RESULT = "address-fetch-result"
ADDRESS_FETCH_STATUS = "address-fetch-status"
ADDRESS_UPLOAD = "address-upload"
ADDRESS_UPLOAD_FORMAT = "address-upload-format"
ADDRESS_UPLOAD_STATUS = "address-upload-status"
ADDRESS_UPLOAD_OPTION = "address-upload-option"  # pattern ids {"type": ..., "name": asset|contract|decimals}
ADDRESS_UPLOAD_OPTION_ERROR = "address-upload-option-error"

# labels page
LABELS_NAV = "labels-nav"
LABELS_QUERY = "labels-query"
LABELS_VERSION = "labels-version"
LABELS_EDIT_ID = "labels-edit-id"
LABELS_ALERT = "labels-alert"
LABELS_SEARCH = "labels-search"
LABELS_CATEGORY = "labels-category"
LABELS_CHAIN = "labels-chain"
LABELS_APPLY = "labels-apply"
LABELS_COUNT = "labels-count"
LABELS_TABLE = "labels-table-body"
LABELS_FORM = "labels-form"
LABELS_EDITOR = "labels-editor"  # the add/edit and import cards, the target of LABELS_TO_EDITOR
LABELS_TO_EDITOR = "labels-to-editor"  # a phone's link from the top of the page down to the editor
LABELS_FORM_TITLE = "labels-form-title"
LABELS_SAVE = "labels-save"
LABELS_NEW = "labels-new"
LABELS_UPLOAD = "labels-upload"
LABELS_PAGER = "labels-pager"
LABELS_EXPORT_FORMAT = "labels-export-format"
LABELS_EXPORT = "labels-export"
LABELS_DOWNLOAD = "labels-download"

# trace page: fetching the transfers of a node (dashboard/components/trace_fetch.py)
TRACE_FETCH_BUDGET = "trace-fetch-budget"
TRACE_FETCH_OFFER = "trace-fetch-offer"
TRACE_FETCH = "trace-fetch-button"
TRACE_FETCH_TARGET = "trace-fetch-target"
TRACE_FETCH_RESULT = "trace-fetch-result"
TRACE_FETCH_STATUS = "trace-fetch-status"
TRACE_FETCH_START = "trace-fetch-start"
TRACE_FETCH_CANCEL = "trace-fetch-cancel"
TRACE_FETCH_PROGRESS = "trace-fetch-progress"
TRACE_FETCH_USED = "trace-fetch-used"
