"""Vietnamese translations of the compiled provincial reports page (/officer/compiled/: Mẫu 02, Mẫu 03).
Applied by locale/tools/vi_translations.py. Terms: báo cáo tổng hợp = compiled report, dự thảo = draft,
Ban Quản lý Khu kinh tế = Economic Zone board, nguồn số liệu = sources, truy vấn = query.
The documents themselves are Vietnamese whatever the interface language (official documents)."""
VI = {
    "Compiled reports": "Báo cáo tổng hợp",
    "Drafts compiled from the database: the facilities' annual reports (those submitted or accepted count, with "
    "the data of their latest submission; returned reports and drafts do not), the register (approved entries) "
    "and the monitoring network. Every figure is numbered and traced, at the end of the document, to the query "
    "that produced it. Download the Word file to complete the narrative parts.":
        "Dự thảo tổng hợp từ cơ sở dữ liệu: báo cáo năm của các cơ sở (tính các báo cáo đã gửi hoặc đã được chấp "
        "nhận, theo dữ liệu của lần gửi gần nhất; báo cáo bị trả lại và bản nháp không được tính), sổ đăng ký (các "
        "mục đã phê duyệt) và mạng lưới quan trắc. Mỗi số liệu được đánh số và dẫn nguồn, ở cuối văn bản, tới truy "
        "vấn đã tạo ra nó. Tải tệp Word để hoàn thiện các phần nhận định.",
    "The official layouts of forms 02 and 03 (Circular 02/2022/TT-BTNMT, Appendix VI) could not be confirmed: the "
    "documents follow the known outline, and sections awaiting the official layout are marked.":
        "Chưa đối chiếu được bố cục chính thức của Mẫu số 02 và Mẫu số 03 (Phụ lục VI Thông tư 02/2022/TT-BTNMT): "
        "văn bản theo dàn ý đã biết, các mục chờ mẫu chính thức được ghi chú.",
    "Form %(code)s": "Mẫu số %(code)s",
    "Economic Zone board": "Ban Quản lý Khu kinh tế",
    "All zones that have a board": "Tất cả các khu có Ban quản lý",
    "Choose": "Chọn",
    "Year": "Năm",
    "Download": "Tải về",
    "Word (DOCX)": "Word (DOCX)",
    "The city's annual report on environmental protection work (prepared by the Department for the People's "
    "Committee): air quality (AQI, PM2.5/PM10 exceedance days), waste from the facilities' reports, permits, "
    "inspections and the monitoring network.":
        "Báo cáo công tác bảo vệ môi trường hằng năm của thành phố (Sở tham mưu Ủy ban nhân dân): chất lượng không "
        "khí (AQI, số ngày PM2,5/PM10 vượt quy chuẩn), chất thải theo báo cáo của cơ sở, giấy phép, thanh tra, "
        "kiểm tra và mạng lưới quan trắc.",
    "The EZ board's annual report on environmental protection work, for the zones under the board and the "
    "facilities in them.":
        "Báo cáo công tác bảo vệ môi trường hằng năm của Ban Quản lý Khu kinh tế, cho các khu do Ban quản lý và "
        "các cơ sở trong đó.",
}
