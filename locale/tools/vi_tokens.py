"""Vietnamese translations of the connection accounts (issue 7): API token grants, expiry, rate
limit, usage statistics and revocation (geoportal/accounts token services, authentication and usage;
exchange/connection_*.py; templates/exchange/connections/). Applied by locale/tools/vi_translations.py.
Terms: mã truy cập = token, tài khoản kết nối = connection account, tập dữ liệu = collection,
trường = field, thu hồi = revoke, giới hạn tần suất = rate limit, lượt truy cập = request."""
VI = {
    # geoportal/accounts/services.py
    "The grants must map collections to fields.": "Quyền truy cập phải gắn mỗi tập dữ liệu với các trường.",
    "Unknown collection: %(c)s.": "Tập dữ liệu không tồn tại: %(c)s.",
    "The fields of %(c)s must be a list of names.": "Các trường của %(c)s phải là danh sách tên trường.",
    "Unknown fields of %(c)s: %(f)s.": "Trường không tồn tại trong %(c)s: %(f)s.",
    "Choose at least one field of %(c)s.": "Hãy chọn ít nhất một trường của %(c)s.",
    "Give a rate between 1 and %(max)d requests per minute.":
        "Hãy nhập tần suất từ 1 đến %(max)d lượt truy cập mỗi phút.",
    "Only connection accounts get tokens here.": "Chỉ cấp mã truy cập tại đây cho tài khoản kết nối.",
    "This account is disabled.": "Tài khoản này đang bị khóa.",
    "A connection token needs an expiry.": "Mã truy cập của tài khoản kết nối phải có thời hạn.",
    "A connection token lasts at most %(days)d days.":
        "Mã truy cập của tài khoản kết nối có thời hạn tối đa %(days)d ngày.",
    "Grant at least one collection.": "Hãy cấp quyền cho ít nhất một tập dữ liệu.",
    "State the rate limit.": "Hãy nêu giới hạn tần suất truy cập.",
    # geoportal/accounts/authentication.py
    "This token has expired.": "Mã truy cập đã hết hạn.",
    # geoportal/accounts/models.py (ApiToken fields, ApiTokenUsage)
    "granted collections and fields": "tập dữ liệu và trường được cấp quyền",
    "rate limit (requests per minute)": "giới hạn tần suất (lượt truy cập mỗi phút)",
    "token": "mã truy cập", "day": "ngày", "collection or endpoint": "tập dữ liệu hoặc điểm truy cập",
    "requests": "lượt truy cập", "last request": "lượt truy cập cuối", "API token usage": "thống kê sử dụng mã truy cập API",
    # exchange/connection_forms.py, exchange/connection_views.py
    "The agency and the agreement, e.g. “Cục Môi trường – data sharing 2026”.":
        "Cơ quan và văn bản thỏa thuận, ví dụ “Cục Môi trường – chia sẻ dữ liệu 2026”.",
    "Valid until": "Hiệu lực đến",
    "The last day the token works (at most one year from today).":
        "Ngày cuối cùng mã truy cập còn dùng được (tối đa một năm kể từ hôm nay).",
    "Rate limit (requests per minute)": "Giới hạn tần suất (lượt truy cập mỗi phút)",
    "All fields, including fields added later": "Tất cả các trường, kể cả trường bổ sung sau này",
    "This token was already revoked.": "Mã truy cập này đã bị thu hồi trước đó.",
    "Token %(name)s revoked; it no longer works.": "Đã thu hồi mã truy cập %(name)s; mã không còn dùng được.",
    # templates/exchange/connections/
    "expired": "hết hạn",
    "Connection accounts": "Tài khoản kết nối",
    "Tokens of other agencies' connection accounts: what each may read, until when, at what rate, and how much it "
    "has been used. Usage counts every request the token authenticated, including those refused by the rate limit, "
    "over the last %(days)s days.":
        "Mã truy cập của tài khoản kết nối của các cơ quan khác: được đọc những gì, đến khi nào, với tần suất nào và "
        "đã dùng bao nhiêu. Thống kê tính mọi lượt truy cập được xác thực bằng mã, kể cả lượt bị từ chối do vượt giới "
        "hạn tần suất, trong %(days)s ngày gần nhất.",
    "Issue a token": "Cấp mã truy cập", "All": "Tất cả", "Token": "Mã truy cập", "Rate limit": "Giới hạn tần suất",
    "Requests per day (%(days)s days)": "Lượt truy cập mỗi ngày (%(days)s ngày)",
    "Requests by collection": "Lượt truy cập theo tập dữ liệu", "Last used": "Lần dùng cuối",
    "%(n)s/min": "%(n)s/phút", "default": "mặc định", "Requests per day": "Lượt truy cập mỗi ngày",
    "No connection token yet.": "Chưa có mã truy cập nào cho tài khoản kết nối.",
    "Key prefix": "Tiền tố của mã", "Created": "Ngày tạo",
    "%(n)s requests per minute": "%(n)s lượt truy cập mỗi phút", "the portal default": "mặc định của cổng",
    "Granted collections and fields": "Tập dữ liệu và trường được cấp quyền", "Fields": "Trường",
    "No restriction by collection: the account's own scope applies.":
        "Không giới hạn theo tập dữ liệu: áp dụng phạm vi dữ liệu của tài khoản.",
    "Usage, last %(days)s days": "Thống kê sử dụng, %(days)s ngày gần nhất",
    # ngettext (blocktranslate count): Vietnamese has one form, keyed by the singular.
    "%(n)s request in the last %(days)s days": "%(n)s lượt truy cập trong %(days)s ngày gần nhất",
    "%(n)s since issue": "%(n)s kể từ khi cấp",
    "Collection or endpoint": "Tập dữ liệu hoặc điểm truy cập", "Requests": "Lượt truy cập",
    "Last request": "Lượt truy cập cuối", "No request in this period.": "Không có lượt truy cập nào trong thời gian này.",
    "Revocation takes effect at once: the next request with this key is refused. It cannot be undone; issue a new "
    "token instead.":
        "Việc thu hồi có hiệu lực ngay: lượt truy cập tiếp theo dùng mã này sẽ bị từ chối. Không thể hoàn tác; "
        "hãy cấp mã truy cập mới nếu cần.",
    "Revoke this token": "Thu hồi mã truy cập này",
    "Issue a connection token": "Cấp mã truy cập cho tài khoản kết nối",
    "A token reads only the collections and fields ticked below, until its expiry (at most %(max_days)s days), at "
    "the stated rate. The key is shown once, on the next page.":
        "Mã truy cập chỉ đọc được các tập dữ liệu và trường được đánh dấu dưới đây, đến hết thời hạn (tối đa "
        "%(max_days)s ngày), với tần suất đã nêu. Mã chỉ hiển thị một lần, ở trang tiếp theo.",
    "Issue the token": "Cấp mã truy cập", "Token issued": "Đã cấp mã truy cập",
    "Copy the key now: it is shown only once and cannot be recovered. Send it to the agency over a secure channel.":
        "Hãy sao chép mã ngay: mã chỉ hiển thị một lần và không thể khôi phục. Gửi mã cho cơ quan qua kênh an toàn.",
    "The agency sends it in the header “Authorization: Bearer <key>”.":
        "Cơ quan gửi mã trong tiêu đề “Authorization: Bearer <mã>”.",
    "Go to the token": "Xem mã truy cập",
}
VI.update({
    "This token only opens the data-exchange API (/api/v1/exchange/).":
        "Mã truy cập này chỉ dùng được cho API trao đổi dữ liệu (/api/v1/exchange/).",
})
