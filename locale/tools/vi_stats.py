"""Vietnamese translations of the officers' statistics page (workspace/statistics.py,
workspace/statistics_views.py, templates/workspace/statistics.html). Applied by
locale/tools/vi_translations.py. Terms: thống kê = statistics, chỉ tiêu = measure, vượt giới hạn =
exceedance, ngày-trạm = station-day, chỉ số chất lượng không khí VN_AQI = AQI, phạm vi = scope."""
VI = {
    "Statistics": "Thống kê",
    "Figures cover only the data in your scope.": "Số liệu chỉ bao gồm dữ liệu trong phạm vi của bạn.",
    "Wastewater volume": "Lượng nước thải",
    "Exceedances": "Vượt giới hạn",
    "Events": "Số lần vượt",
    "AQI days by category": "Số ngày theo mức chất lượng không khí (AQI)",
    "From year": "Từ năm",
    "To year": "Đến năm",
    "The last year comes before the first.": "Năm cuối phải sau năm đầu.",
    "A range covers at most %(n)d years.": "Khoảng thời gian tối đa %(n)d năm.",
    "No data in your scope for this question.": "Không có dữ liệu trong phạm vi của bạn cho nội dung này.",
    "By %(detail)s": "Theo %(detail)s",
    # ngettext (blocktranslate count): Vietnamese has one form, given under the singular.
    "The chart shows the largest group; the table lists them all.":
        "Biểu đồ thể hiện %(n)s nhóm lớn nhất; bảng liệt kê đầy đủ.",
    "Counted: the annual reports received in your scope (submitted at least once, whatever their review "
    "status), with the data of their latest submission; drafts never count. Values that are not plain "
    "numbers are left out and counted as ignored.":
        "Số liệu tính từ các báo cáo công tác bảo vệ môi trường hằng năm đã nhận trong phạm vi của bạn "
        "(đã nộp ít nhất một lần, bất kể trạng thái xem xét), theo dữ liệu của lần nộp gần nhất; bản nháp "
        "không được tính. Giá trị không phải là số hợp lệ bị bỏ qua và được đếm riêng.",
    "Counted: the exceedance events of the monitoring stations in your scope, in the year they started "
    "(local time).":
        "Số liệu tính từ các lần vượt giới hạn của các trạm quan trắc trong phạm vi của bạn, theo năm bắt "
        "đầu (giờ Việt Nam).",
    "Counted: station-days of the ambient air stations in your scope by their daily VN_AQI (Decision "
    "1459/QĐ-TCMT); a day without enough readings is “no data”; days still to come are not counted. "
    "Recomputed at most every hour.":
        "Số liệu tính theo ngày-trạm của các trạm quan trắc không khí xung quanh trong phạm vi của bạn, theo "
        "chỉ số VN_AQI ngày (Quyết định 1459/QĐ-TCMT); ngày không đủ số liệu được tính là “không có số "
        "liệu”; các ngày chưa đến không được tính. Số liệu được tính lại tối đa mỗi giờ một lần.",
}
