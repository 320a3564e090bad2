"""Vietnamese translations of the portal's messages, applied to locale/vi/.../django.po
by `python locale/tools/vi_translations.py` after `make messages`. Keeping them as data
here means a re-extraction never loses a translation."""
VI = {
    "roles": "vai trò", "Organisation, roles and scope": "Đơn vị, vai trò và phạm vi dữ liệu",
    "Periodic review": "Rà soát định kỳ", "Organisation and roles": "Đơn vị và vai trò",
    "Accounts": "Tài khoản", "Malformed Authorization header.": "Tiêu đề Authorization không hợp lệ.",
    "Malformed token.": "Mã truy cập không hợp lệ.",
    "Invalid, expired or revoked token.": "Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.",
    "Department administrator": "Quản trị viên Sở", "Department officer": "Cán bộ Sở",
    "Economic Zone board officer": "Cán bộ Ban Quản lý Khu kinh tế", "Commune officer": "Cán bộ UBND cấp xã",
    "Commune chairman": "Chủ tịch UBND cấp xã", "Enterprise user": "Người dùng doanh nghiệp",
    "Connection account": "Tài khoản kết nối", "Search": "Tìm kiếm", "Role": "Vai trò",
    "Organisation kind": "Loại đơn vị", "Active": "Đang hoạt động", "Review due": "Đến hạn rà soát",
    "organisation": "đơn vị", "additional units in scope": "đơn vị hành chính bổ sung trong phạm vi",
    "phone": "điện thoại", "job title": "chức danh", "last reviewed": "rà soát lần cuối",
    "reviewed by": "người rà soát", "user": "người dùng", "users": "người dùng",
    "previous holder": "người giữ trước", "new holder": "người giữ mới", "performed by": "người thực hiện",
    "performed at": "thời điểm thực hiện", "reason": "lý do",
    "previous holder deactivated": "đã khóa tài khoản người giữ trước",
    "account handover": "bàn giao tài khoản", "account handovers": "bàn giao tài khoản", "name": "tên",
    "prefix": "tiền tố", "created": "ngày tạo", "expires": "hết hạn", "revoked": "thu hồi",
    "last used": "lần dùng cuối", "API token": "mã truy cập API", "API tokens": "mã truy cập API",
    "Unknown role: %(r)s": "Vai trò không tồn tại: %(r)s",
    "A user with roles must belong to an organisation.": "Người dùng có vai trò phải thuộc một đơn vị.",
    "%(roles)s cannot be held in a %(kind)s.": "Vai trò %(roles)s không được gán cho loại đơn vị %(kind)s.",
    "Give a reason.": "Hãy nêu lý do.", "Give the reason for the handover.": "Hãy nêu lý do bàn giao.",
    "The new holder must belong to %(org)s.": "Người nhận bàn giao phải thuộc %(org)s.",
    "The new holder's account is disabled.": "Tài khoản của người nhận bàn giao đang bị khóa.",
    "This person already holds the account.": "Người này đang giữ tài khoản.",
    "The expiry must be in the future.": "Thời hạn phải ở tương lai.",
    "Account %(u)s marked as reviewed.": "Đã ghi nhận rà soát tài khoản %(u)s.",
    "Audit log": "Nhật ký hệ thống", "Actor": "Người thực hiện", "Action": "Thao tác",
    "Organisation": "Đơn vị", "Object type": "Loại đối tượng", "Object id": "Mã đối tượng",
    "IP address": "Địa chỉ IP", "From": "Từ", "To": "Đến", "time": "thời điểm", "actor": "người thực hiện",
    "actor username": "tên đăng nhập người thực hiện", "action": "thao tác", "object type": "loại đối tượng",
    "object id": "mã đối tượng", "object": "đối tượng", "changes": "thay đổi", "digest": "mã băm",
    "request id": "mã yêu cầu", "audit event": "sự kiện nhật ký", "audit events": "nhật ký hệ thống",
    "Catalogues": "Danh mục", "code": "mã", "name (Vietnamese)": "tên (tiếng Việt)",
    "name (English)": "tên (tiếng Anh)", "description": "mô tả", "legal basis": "căn cứ pháp lý",
    "catalogue": "danh mục", "catalogues": "danh mục", "order": "thứ tự", "active": "đang dùng",
    "valid from": "hiệu lực từ", "valid to": "hiệu lực đến", "note": "ghi chú",
    "catalogue entry": "mục danh mục", "catalogue entries": "mục danh mục", "data set": "bộ dữ liệu",
    "loaded": "đã nạp", "fixture load": "lần nạp dữ liệu", "fixture loads": "lần nạp dữ liệu",
    "Hai Phong environmental geoportal – administration": "Cổng thông tin môi trường Hải Phòng – quản trị",
    "Geoportal administration": "Quản trị cổng thông tin",
    "Organisations, accounts and catalogues": "Đơn vị, tài khoản và danh mục", "Core": "Lõi hệ thống",
    "Home": "Trang chủ", "Organisations": "Đơn vị", "Administration": "Quản trị", "API": "API",
    "Invalid request": "Yêu cầu không hợp lệ", "Authentication required": "Cần đăng nhập",
    "Permission denied": "Không có quyền", "Not found": "Không tìm thấy",
    "Method not allowed": "Phương thức không được phép", "Not acceptable": "Định dạng không được hỗ trợ",
    "Conflict": "Xung đột dữ liệu", "Request too large": "Yêu cầu quá lớn",
    "Unsupported media type": "Kiểu dữ liệu không được hỗ trợ", "Too many requests": "Quá nhiều yêu cầu",
    "The request body is larger than the allowed size.": "Dữ liệu gửi lên vượt quá dung lượng cho phép.",
    "The request was refused as suspicious.": "Yêu cầu bị từ chối vì có dấu hiệu bất thường.",
    "The document is nested too deeply.": "Tài liệu lồng nhau quá sâu.",
    "The request has invalid fields; see 'errors'.": "Yêu cầu có trường không hợp lệ; xem 'errors'.",
    "No such resource, or it is outside your scope.": "Không có tài nguyên này, hoặc nằm ngoài phạm vi của bạn.",
    "Error": "Lỗi", "Internal error": "Lỗi hệ thống",
    "An unexpected error occurred. Quote the request id when reporting it.":
        "Đã xảy ra lỗi ngoài dự kiến. Khi báo lỗi, vui lòng ghi kèm mã yêu cầu.",
    "CSRF check failed. Reload the page and try again.": "Phiên biểu mẫu đã hết hạn. Hãy tải lại trang và thử lại.",
    "Organisations and administrative units": "Đơn vị và đơn vị hành chính",
    "Department of Agriculture and Environment": "Sở Nông nghiệp và Môi trường",
    "Economic Zone Management Board": "Ban Quản lý Khu kinh tế",
    "Commune/ward/special-zone People's Committee": "UBND xã/phường/đặc khu", "Enterprise": "Doanh nghiệp",
    "Connection agency": "Cơ quan kết nối", "Ward": "Phường", "Commune": "Xã", "Special zone": "Đặc khu",
    "Kind": "Loại", "Administrative unit": "Đơn vị hành chính", "New account holder": "Người nhận bàn giao",
    "Reason": "Lý do", "Disable the previous holder's account": "Khóa tài khoản của người giữ trước",
    "A tax code (mã số thuế) has 10 digits, or 10 digits, a hyphen and 3 digits for a branch.":
        "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh.",
    "kind": "loại", "province code": "mã tỉnh", "former district": "huyện/quận cũ",
    "District-level unit it mostly came from (abolished 1 July 2025), kept for history.":
        "Đơn vị cấp huyện trước sắp xếp (đã giải thể từ 01/7/2025), lưu để tra cứu lịch sử.",
    "former province": "tỉnh cũ", "boundary": "ranh giới", "source SRID": "hệ tọa độ gốc (SRID)",
    "approximate boundary": "ranh giới gần đúng",
    "Demo boundaries are approximate; import official ones with import_admin_units.":
        "Ranh giới demo là gần đúng; nhập ranh giới chính thức bằng lệnh import_admin_units.",
    "source": "nguồn", "updated": "cập nhật", "administrative unit": "đơn vị hành chính",
    "administrative units": "đơn vị hành chính", "short name": "tên viết tắt", "tax code": "mã số thuế",
    "address": "địa chỉ", "e-mail": "thư điện tử", "account holder": "người giữ tài khoản",
    "demo data": "dữ liệu demo", "organisations": "đơn vị",
    "%(n)d rows were rejected; nothing was imported.": "%(n)d dòng bị từ chối; không có dữ liệu nào được nhập.",
    "empty geometry": "hình học rỗng", "invalid geometry repaired (%(reason)s)": "đã sửa hình học không hợp lệ (%(reason)s)",
    "no polygon in the geometry": "hình học không chứa vùng", "a %(t)s is not a polygon": "%(t)s không phải là vùng",
    "outside Hai Phong (check the CRS and the axis order)": "nằm ngoài Hải Phòng (kiểm tra hệ tọa độ và thứ tự trục)",
    "Cannot read %(p)s: %(e)s": "Không đọc được %(p)s: %(e)s",
    "Column '%(c)s' is missing; columns are: %(all)s": "Thiếu cột '%(c)s'; các cột hiện có: %(all)s",
    "The file has no CRS; give --srid (for example 4326 or 9210).":
        "Tệp không có hệ tọa độ; hãy chỉ định --srid (ví dụ 4326 hoặc 9210).",
    "code and name are required": "cần có mã và tên", "duplicate code %(c)s in the file": "mã %(c)s bị trùng trong tệp",
    "unknown kind '%(k)s' (phuong, xa or dac_khu)": "loại '%(k)s' không hợp lệ (phuong, xa hoặc dac_khu)",
    "no geometry": "không có hình học",
    "The account of %(org)s was handed over to %(u)s.": "Tài khoản của %(org)s đã được bàn giao cho %(u)s.",
    "Vietnamese": "Tiếng Việt", "English": "Tiếng Anh", "Roles": "Vai trò", "E-mail": "Thư điện tử",
    "Last login": "Đăng nhập lần cuối", "Last reviewed": "Rà soát lần cuối", "never": "chưa bao giờ",
    "Review note (optional)": "Ghi chú rà soát (không bắt buộc)", "Mark reviewed": "Xác nhận đã rà soát",
    "History": "Lịch sử", "Time": "Thời điểm", "Username": "Tên đăng nhập", "Name": "Tên",
    "disabled": "đã khóa", "due": "đến hạn",
    "Accounts are reviewed periodically; a review is due when the last one is older than the review interval or missing.":
        "Tài khoản được rà soát định kỳ; đến hạn rà soát khi lần rà soát gần nhất đã quá thời hạn hoặc chưa có.",
    "No account matches these filters.": "Không có tài khoản nào phù hợp bộ lọc.", "Audit event": "Sự kiện nhật ký",
    "Object": "Đối tượng", "Request id": "Mã yêu cầu", "Digest (SHA-256)": "Mã băm (SHA-256)", "Changes": "Thay đổi",
    "No event matches these filters.": "Không có sự kiện nào phù hợp bộ lọc.",
    "Hai Phong environmental geoportal": "Cổng thông tin môi trường Hải Phòng",
    "Skip to content": "Bỏ qua, tới nội dung",
    "Department of Agriculture and Environment – Hai Phong city": "Sở Nông nghiệp và Môi trường – thành phố Hải Phòng",
    "Main navigation": "Điều hướng chính", "Language": "Ngôn ngữ", "Switch": "Đổi", "Password": "Mật khẩu",
    "Log out": "Đăng xuất", "Log in": "Đăng nhập",
    "Demonstration data: organisations, accounts and boundaries shown here are demo data; commune boundaries are approximate.":
        "Dữ liệu minh họa: đơn vị, tài khoản và ranh giới hiển thị ở đây là dữ liệu demo; ranh giới cấp xã là gần đúng.",
    "Environmental information system and database of Hai Phong city.":
        "Hệ thống thông tin, cơ sở dữ liệu môi trường thành phố Hải Phòng.",
    "Status": "Trạng thái", "Times are shown in Vietnam time (UTC+7).": "Thời gian hiển thị theo giờ Việt Nam (UTC+7).",
    "The request could not be understood. Check what you entered and try again.":
        "Không hiểu được yêu cầu. Hãy kiểm tra thông tin đã nhập và thử lại.",
    "Your account does not have the right to use this function.": "Tài khoản của bạn không có quyền dùng chức năng này.",
    "The page does not exist, or it is outside your scope.": "Trang không tồn tại hoặc nằm ngoài phạm vi của bạn.",
    "Environmental information of Hai Phong city": "Thông tin môi trường thành phố Hải Phòng",
    "The city's register of environmental data: facilities, industrial zones, protected areas, monitoring and the annual environmental protection reports.":
        "Cơ sở dữ liệu môi trường của thành phố: cơ sở sản xuất, khu công nghiệp, khu bảo tồn, quan trắc và báo cáo công tác bảo vệ môi trường hằng năm.",
    "Map of administrative units": "Bản đồ đơn vị hành chính",
    "Commune-level units after 1 July 2025 (Resolution 1669/NQ-UBTVQH15).":
        "Đơn vị hành chính cấp xã từ ngày 01/7/2025 (Nghị quyết 1669/NQ-UBTVQH15).",
    "Administrative units": "Đơn vị hành chính", "Wards": "Phường", "Communes": "Xã", "Special zones": "Đặc khu",
    "Total": "Tổng số", "%(n)s organisations use the system.": "%(n)s đơn vị đang sử dụng hệ thống.",
    "Log in to enter data": "Đăng nhập để cập nhật dữ liệu", "Filter": "Lọc", "Clear": "Xóa lọc", "Pages": "Trang",
    "Previous": "Trước", "Page %(n)s of %(total)s": "Trang %(n)s / %(total)s", "Next": "Sau", "demo": "demo",
    "Tax code": "Mã số thuế", "Address": "Địa chỉ", "Account holder": "Người giữ tài khoản",
    "No accounts yet.": "Chưa có tài khoản.", "Hand over the account": "Bàn giao tài khoản",
    "When staff change, the organisation's account passes to a new person. The change is recorded in the audit log.":
        "Khi thay đổi cán bộ, tài khoản của đơn vị được bàn giao cho người mới. Việc bàn giao được ghi vào nhật ký hệ thống.",
    "Hand over": "Bàn giao", "Handover history": "Lịch sử bàn giao", "By": "Người thực hiện",
    "No organisation matches these filters.": "Không có đơn vị nào phù hợp bộ lọc.",
    "Account temporarily locked": "Tài khoản tạm khóa",
    "Too many failed login attempts. For your security this account is locked for a while; try again later, or reset your password.":
        "Đăng nhập sai quá nhiều lần. Để bảo đảm an toàn, tài khoản bị tạm khóa trong một thời gian; hãy thử lại sau hoặc đặt lại mật khẩu.",
    "Reset your password": "Đặt lại mật khẩu", "Forgotten your password?": "Quên mật khẩu?",
    "Password changed": "Đã đổi mật khẩu", "Your password was changed.": "Mật khẩu của bạn đã được thay đổi.",
    "Change password": "Đổi mật khẩu", "Change my password": "Đổi mật khẩu", "Password set": "Đã đặt mật khẩu",
    "Choose a new password": "Chọn mật khẩu mới",
    "This link is invalid or has already been used. Ask for a new one.":
        "Liên kết không hợp lệ hoặc đã được sử dụng. Hãy yêu cầu liên kết mới.",
    "Check your e-mail": "Kiểm tra thư điện tử",
    "If an account has this address, a link to reset the password has been sent.":
        "Nếu có tài khoản dùng địa chỉ này, liên kết đặt lại mật khẩu đã được gửi.",
    "You asked to reset the password of your account %(user)s on the Hai Phong environmental geoportal.":
        "Bạn đã yêu cầu đặt lại mật khẩu tài khoản %(user)s trên Cổng thông tin môi trường Hải Phòng.",
    "Open this link to choose a new password:": "Mở liên kết sau để chọn mật khẩu mới:",
    "If you did not ask for this, ignore this e-mail.": "Nếu bạn không yêu cầu, hãy bỏ qua thư này.",
    "Reset password": "Đặt lại mật khẩu",
    "Enter the e-mail address of your account; we will send a link to choose a new password.":
        "Nhập địa chỉ thư điện tử của tài khoản; hệ thống sẽ gửi liên kết để chọn mật khẩu mới.",
    "Send the link": "Gửi liên kết",
}

if __name__ == "__main__":
    import sys
    from pathlib import Path

    import polib

    import importlib.util

    # Further dictionaries live beside this file as vi_<topic>.py, each defining VI.
    for extra in sorted(Path(__file__).resolve().parent.glob("vi_*.py")):
        if extra.name == Path(__file__).name:
            continue
        spec = importlib.util.spec_from_file_location(extra.stem, extra)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        VI.update(module.VI)
    path = Path(__file__).resolve().parent.parent / "vi" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid in VI:
            if entry.msgid_plural:
                # Vietnamese has one plural form (nplurals=1): the singular key gives it.
                entry.msgstr_plural = {0: VI[entry.msgid]}
            else:
                entry.msgstr = VI[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not (entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr):
            missing.append(entry.msgid)
    po.metadata.update({"Language": "vi", "Content-Type": "text/plain; charset=UTF-8",
                        "Plural-Forms": "nplurals=1; plural=0;"})
    po.save(str(path))
    if missing:
        print("untranslated:", *missing, sep="\n  ", file=sys.stderr)
        sys.exit(1)
