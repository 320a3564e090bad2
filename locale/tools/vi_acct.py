"""Vietnamese translations of the account governance pages (issue 7): roles and data scope of an
account, the periodic account review in bulk, and sign-in through the central authentication service
(OpenID Connect). Applied by locale/tools/vi_translations.py.
Terms: phạm vi dữ liệu = data scope, rà soát định kỳ = periodic review, khóa tài khoản = disable,
xã = commune (commune-level unit), Ban Quản lý = EZ board, dịch vụ xác thực tập trung = central
authentication service, mã truy cập API = API token."""
VI = {
    # geoportal/accounts/forms.py
    "The unit the account belongs to. EZ board officers cover the zones their board manages.":
        "Đơn vị mà tài khoản thuộc về. Cán bộ Ban Quản lý phụ trách các khu do Ban quản lý.",
    "Roles must fit the kind of organisation. The regulation allows one department administrator.":
        "Vai trò phải phù hợp với loại đơn vị. Quy chế chỉ cho phép một quản trị viên Sở.",
    "Additional communes": "Xã bổ sung",
    "Communes covered beyond the organisation's own commune (commune officers and chairmen only).":
        "Các xã được phụ trách ngoài xã của đơn vị (chỉ dành cho cán bộ và chủ tịch UBND cấp xã).",
    "Disable": "Khóa", "Select at least one account.": "Hãy chọn ít nhất một tài khoản.",
    "Note or reason": "Ghi chú hoặc lý do",
    "Give the reason for disabling these accounts.": "Hãy nêu lý do khóa các tài khoản này.",
    # geoportal/accounts/services.py
    "A commune role needs a commune: the organisation's own commune or additional communes.":
        "Vai trò cấp xã cần có xã phụ trách: xã của đơn vị hoặc các xã bổ sung.",
    "Additional communes can only be given to commune officers and chairmen.":
        "Chỉ cán bộ và chủ tịch UBND cấp xã mới được giao thêm xã.",
    "%(u)s is already the department administrator; the regulation allows one. "
    "Remove the role from that account first.":
        "%(u)s đang là quản trị viên Sở; quy chế chỉ cho phép một người. "
        "Hãy gỡ vai trò này khỏi tài khoản đó trước.",
    "You cannot remove your own administrator role.": "Bạn không thể tự gỡ vai trò quản trị viên của mình.",
    "This person holds the account of %(org)s: hand it over before moving them.":
        "Người này đang giữ tài khoản của %(org)s: hãy bàn giao trước khi chuyển đơn vị.",
    "You cannot disable your own account.": "Bạn không thể tự khóa tài khoản của mình.",
    # geoportal/accounts/views.py
    "The access of %(u)s was saved.": "Đã lưu quyền truy cập của %(u)s.",
    "All": "Tất cả", "Unused": "Không sử dụng",
    "%(n)d account disabled; its API tokens were revoked.":
        "Đã khóa %(n)d tài khoản; các mã truy cập API của tài khoản đã bị thu hồi.",
    "%(n)d account marked as reviewed.": "Đã ghi nhận rà soát %(n)d tài khoản.",
    # geoportal/accounts/oidc.py
    "The central authentication service recognised you, but no active account of this portal matches your "
    "identity. Ask the department administrator to link your account.":
        "Dịch vụ xác thực tập trung đã nhận diện bạn, nhưng không có tài khoản đang hoạt động nào của cổng "
        "thông tin khớp với danh tính này. Hãy đề nghị quản trị viên Sở liên kết tài khoản của bạn.",
    "Sign-in with the central authentication service failed. Try again, or log in with your portal password.":
        "Đăng nhập qua dịch vụ xác thực tập trung không thành công. Hãy thử lại, hoặc đăng nhập bằng mật khẩu "
        "của cổng thông tin.",
    # templates/accounts/_coverage.html, user_access.html, user_detail.html
    "What the account covers": "Phạm vi tài khoản phụ trách",
    "The account is disabled: it covers nothing.": "Tài khoản đang bị khóa: không phụ trách phạm vi nào.",
    "The whole city: every commune and every zone.": "Toàn thành phố: mọi xã và mọi khu.",
    "Zones under the board": "Các khu do Ban quản lý", "Own facilities": "Cơ sở của doanh nghiệp",
    "Connection account: read-only, approved data only, within the grants of its tokens.":
        "Tài khoản kết nối: chỉ đọc, chỉ dữ liệu đã phê duyệt, trong phạm vi được cấp của các mã truy cập.",
    "Access of %(u)s": "Quyền truy cập của %(u)s",
    "Roles and data scope of %(u)s": "Vai trò và phạm vi dữ liệu của %(u)s",
    "What the account may see and do follows from its roles, its organisation and any additional communes. "
    "The change takes effect on the account's next request and is recorded in the audit log with the values "
    "before and after.":
        "Những gì tài khoản được xem và làm phụ thuộc vào vai trò, đơn vị và các xã bổ sung. Thay đổi có hiệu "
        "lực từ yêu cầu tiếp theo của tài khoản và được ghi vào nhật ký hệ thống cùng giá trị trước và sau.",
    "Edit roles and data scope": "Sửa vai trò và phạm vi dữ liệu",
    # templates/accounts/review_queue.html, user_list.html
    "Periodic account review": "Rà soát tài khoản định kỳ",
    "Active accounts not reviewed in the last %(r)s days, and accounts not used in the last %(u)s days. Check "
    "each account still serves someone who needs it; mark it reviewed, or disable it. Disabling logs the person "
    "out everywhere and revokes the account's API tokens. Every decision is recorded in the audit log.":
        "Các tài khoản đang hoạt động chưa được rà soát trong %(r)s ngày qua, và các tài khoản không được sử dụng "
        "trong %(u)s ngày qua. Hãy kiểm tra từng tài khoản còn phục vụ người cần dùng hay không; ghi nhận đã rà "
        "soát, hoặc khóa tài khoản. Khi khóa, người dùng bị đăng xuất khỏi mọi nơi và các mã truy cập API của "
        "tài khoản bị thu hồi. Mọi quyết định đều được ghi vào nhật ký hệ thống.",
    "Select": "Chọn", "Why listed": "Lý do có trong danh sách", "Active API tokens": "Mã truy cập API còn hiệu lực",
    "review due": "đến hạn rà soát", "unused": "không sử dụng",
    "No account is due for review.": "Không có tài khoản nào đến hạn rà soát.",
    "Optional when marking reviewed; required when disabling.": "Không bắt buộc khi ghi nhận rà soát; bắt buộc khi khóa.",
    "Mark selected reviewed": "Ghi nhận đã rà soát các tài khoản đã chọn",
    "Disable selected": "Khóa các tài khoản đã chọn",
    # templates/registration/login.html
    "Officers with an account of the central authentication service can use it instead of their portal password.":
        "Cán bộ có tài khoản của dịch vụ xác thực tập trung có thể dùng tài khoản đó thay cho mật khẩu của cổng "
        "thông tin.",
    "Sign in with the central authentication service": "Đăng nhập qua dịch vụ xác thực tập trung",
}
VI.update({
    "central authentication identity": "danh tính trên hệ thống xác thực tập trung",
})
