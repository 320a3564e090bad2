"""Vietnamese translations of the managed catalogues (danh mục) pages, their revision history and the
catalogue registrations of monitoring and reports. Applied by locale/tools/vi_translations.py.
Terms: danh mục = catalogue, phiên bản = version, lịch sử = history, ngừng sử dụng = deactivate,
còn hiệu lực = in force, quy chuẩn kỹ thuật = technical regulation, hạn nộp = deadline."""
VI = {
    # geoportal/catalogues/registry.py
    "It is already out of force since %(date)s.": "Mục này đã hết hiệu lực từ ngày %(date)s.",
    "It only takes effect on %(date)s: change its dates instead.":
        "Mục này chỉ có hiệu lực từ ngày %(date)s: hãy sửa ngày hiệu lực thay vì ngừng sử dụng.",
    "The end date comes before the start date.": "Ngày kết thúc đứng trước ngày bắt đầu.",
    "The month is a number from 1 to 12.": "Tháng là một số từ 1 đến 12.",
    "Day %(day)s of month %(month)s is not a date of every year.":
        "Ngày %(day)s tháng %(month)s không phải là ngày có trong mọi năm.",
    # geoportal/catalogues/services.py
    "New rows of this catalogue are not created here.": "Không tạo mục mới của danh mục này tại đây.",
    "Rows of this catalogue are not deactivated.": "Các mục của danh mục này không ngừng sử dụng được.",
    "It is already inactive.": "Mục này đã ngừng sử dụng.",
    "This value is fixed once the row exists.": "Giá trị này cố định sau khi mục đã được tạo.",
    # geoportal/catalogues/forms.py, views.py
    "Reason for the change": "Lý do thay đổi",
    "Created: %(name)s": "Đã tạo: %(name)s",
    "Saved: %(name)s": "Đã lưu: %(name)s",
    "Deactivated: %(name)s": "Đã ngừng sử dụng: %(name)s",
    # geoportal/catalogues/choices.py, models.py
    "Created": "Tạo mới",
    "Changed": "Sửa đổi",
    "Deactivated": "Ngừng sử dụng",
    "values": "giá trị",
    "changed by": "người thay đổi",
    "comment": "ghi chú",
    "catalogue revision": "phiên bản danh mục",
    "catalogue revisions": "phiên bản danh mục",
    "the key of the managed catalogue": "khóa của danh mục được quản lý",
    "{field: [old, new]}": "{trường: [cũ, mới]}",
    # monitoring/apps.py, reports/apps.py
    "Measurement units": "Đơn vị đo",
    "Monitoring parameters": "Thông số quan trắc",
    "Limit sets (technical regulations)": "Bộ giới hạn (quy chuẩn kỹ thuật)",
    "Limit values": "Giá trị giới hạn",
    "Report form versions and deadlines": "Phiên bản mẫu báo cáo và hạn nộp",
    "This form version already has submitted reports, so it is not changed: publish a new version instead.":
        "Phiên bản mẫu này đã có báo cáo được nộp nên không được sửa: hãy ban hành phiên bản mới.",
    # templates/catalogues/
    "New row": "Thêm mục",
    "Saving writes a new version of this row in its history and an event in the audit log.":
        "Khi lưu, hệ thống ghi một phiên bản mới vào lịch sử của mục và một sự kiện vào nhật ký hệ thống.",
    "Version": "Phiên bản",
    "in force": "còn hiệu lực",
    "inactive": "ngừng sử dụng",
    "Reference lists (danh mục) used across the portal. Every change is kept as a numbered version, with who "
    "made it, when and why, and is recorded in the audit log.":
        "Các danh mục dùng chung trong hệ thống. Mỗi thay đổi được lưu thành một phiên bản có số thứ tự, "
        "kèm người thay đổi, thời điểm và lý do, và được ghi vào nhật ký hệ thống.",
    "You can read them; the department administrator edits them.":
        "Bạn được xem; quản trị viên của Sở cập nhật các danh mục này.",
    "Catalogue": "Danh mục",
    "Rows": "Số mục",
    "Last change": "Thay đổi gần nhất",
    "No catalogue is registered.": "Chưa có danh mục nào được đăng ký.",
    "Deactivate": "Ngừng sử dụng",
    "Other records refer to it, so it is kept and marked as no longer in force instead of being deleted.":
        "Các hồ sơ khác tham chiếu mục này nên mục được giữ lại và đánh dấu hết hiệu lực thay vì bị xóa.",
    "Field": "Trường",
    "Before": "Trước",
    "After": "Sau",
    "No value changed.": "Không có giá trị nào thay đổi.",
    "No change has been recorded through the catalogue pages yet; the row is as it was loaded.":
        "Chưa có thay đổi nào được ghi qua trang danh mục; mục vẫn như khi được nạp.",
    "Version %(n)s": "Phiên bản %(n)s",
    "system (data load)": "hệ thống (nạp dữ liệu)",
}
