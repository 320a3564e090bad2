"""Vietnamese translations of the officer workspace's dashboard and work queues (workspace/dashboard.py,
workspace/queues.py, workspace/views.py, workspace/context_processors.py, templates/workspace/dashboard.html,
queues.html, _chart.html). Applied by locale/tools/vi_translations.py.
Terms: không gian làm việc = workspace, phạm vi = scope, hàng đợi công việc = work queue, rà soát = review,
phê duyệt = approval, biện pháp khắc phục = remedy, vượt giới hạn = exceedance, cập nhật hằng tháng = monthly update."""
VI = {
    # workspace/context_processors.py, templates/workspace/dashboard.html
    "Workspace": "Không gian làm việc",
    "Officer workspace": "Không gian làm việc của cán bộ",
    "Every figure covers your scope only.": "Mọi số liệu chỉ tính trong phạm vi quản lý của bạn.",
    "Work queues": "Hàng đợi công việc",
    "Reporting year": "Năm báo cáo",
    "Showing %(year)s.": "Đang hiển thị năm %(year)s.",
    "Facilities in your scope": "Cơ sở trong phạm vi của bạn",
    "Figure": "Chỉ tiêu",
    "Count": "Số lượng",
    "See": "Xem",
    "list": "danh sách",
    "map": "bản đồ",
    "Show all %(n)s": "Hiện tất cả %(n)s",
    "Nothing in your scope.": "Không có dữ liệu nào trong phạm vi của bạn.",
    "Units without an update this month: %(n)s of %(total)s.":
        "Số đơn vị chưa cập nhật trong tháng này: %(n)s/%(total)s.",
    "Late: %(n)s.": "Chậm: %(n)s.",
    "Updates are due before the 30th; none is late yet.": "Hạn cập nhật là trước ngày 30; chưa đơn vị nào bị chậm.",
    "and more…": "và các đơn vị khác…",
    "No unit in your scope updates monthly.": "Không có đơn vị nào trong phạm vi của bạn phải cập nhật hằng tháng.",
    "Trends": "Xu hướng",
    "Month": "Tháng",
    # workspace/views.py (sections and charts)
    "Facilities by sector": "Cơ sở theo loại hình sản xuất",
    "Facilities by commune": "Cơ sở theo xã, phường, đặc khu",
    "Current permits (not superseded or revoked); expiring: within %(months)s months.":
        "Giấy phép đang có hiệu lực pháp lý (chưa bị thay thế hoặc thu hồi); sắp hết hạn: trong vòng %(months)s tháng.",
    "Annual reports for %(year)s": "Báo cáo công tác bảo vệ môi trường năm %(year)s",
    "Facilities and zone investors that must report; a report counts as received once submitted. "
    "Only accepted reports count in official figures.":
        "Cơ sở và chủ đầu tư hạ tầng khu, cụm công nghiệp phải báo cáo; báo cáo được tính là đã tiếp nhận "
        "khi đã nộp. Chỉ báo cáo đã được chấp nhận mới được tính vào số liệu chính thức.",
    "Inspection remedies": "Biện pháp khắc phục sau kiểm tra",
    "The list shows the inspections that ordered them.": "Danh sách hiển thị các cuộc kiểm tra đã yêu cầu khắc phục.",
    "Monitoring exceedances": "Vượt giới hạn quan trắc",
    "Reports received per reporting year": "Số báo cáo đã tiếp nhận theo năm báo cáo",
    "Exceedance events per month": "Số sự kiện vượt giới hạn theo tháng",
    "Events begun": "Số sự kiện bắt đầu",
    # workspace/dashboard.py
    "No sector recorded": "Chưa ghi loại hình",
    "Outside every commune": "Ngoài địa giới các xã, phường",
    "Must report": "Phải báo cáo",
    "Not received yet": "Chưa nhận được",
    "Late (received late, or missing after the deadline)": "Chậm (nộp muộn, hoặc chưa nộp khi đã quá hạn)",
    "Exceedance events begun this month": "Sự kiện vượt giới hạn bắt đầu trong tháng này",
    "Exceedances still ongoing": "Sự kiện vượt giới hạn đang tiếp diễn",
    # workspace/queues.py, templates/workspace/queues.html
    "What is waiting for you, in your scope, oldest first.":
        "Các việc đang chờ bạn xử lý trong phạm vi của bạn, việc cũ nhất trước.",
    "Year %(year)s: %(count)s": "Năm %(year)s: %(count)s",
    "Reports awaiting review": "Báo cáo chờ rà soát",
    "No report is waiting for review.": "Không có báo cáo nào chờ rà soát.",
    "Entries awaiting the chairman's approval": "Dữ liệu chờ Chủ tịch UBND phê duyệt",
    "No entry is waiting for approval.": "Không có dữ liệu nào chờ phê duyệt.",
    "Imported rows needing review": "Dòng dữ liệu nhập cần rà soát",
    "No imported row is flagged for review.": "Không có dòng dữ liệu nhập nào được đánh dấu cần rà soát.",
    "%(rows)s rows to review, %(rejected)s rejected": "%(rows)s dòng cần rà soát, %(rejected)s dòng bị từ chối",
    "Imports previewed, not yet imported": "Lượt nhập đã chạy thử, chưa nhập chính thức",
    "No previewed import is pending.": "Không có lượt nhập chạy thử nào đang chờ.",
    "Accounts due for review": "Tài khoản đến hạn rà soát",
    "Unused accounts": "Tài khoản không được sử dụng",
    "Accounts due for periodic review": "Tài khoản đến hạn rà soát định kỳ",
    "Active accounts unused for %(days)s days or more: %(count)s":
        "Tài khoản đang hoạt động không được sử dụng từ %(days)s ngày trở lên: %(count)s",
    "No account is due for review.": "Không có tài khoản nào đến hạn rà soát.",
    "Item": "Mục",
    "Details": "Chi tiết",
    "Full list:": "Danh sách đầy đủ:",
    "The first %(shown)s of %(total)s.": "%(shown)s mục đầu tiên trong số %(total)s.",
    # templates/workspace/_chart.html
    "Nothing in your scope for this period.": "Không có dữ liệu nào trong phạm vi của bạn cho giai đoạn này.",
}
