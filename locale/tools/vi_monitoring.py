"""Vietnamese translations of the monitoring pages (station page, AQI map, outfalls, EDR).
Applied by locale/tools/vi_translations.py. Terms: quan trắc = monitoring, trạm = station,
thông số = parameter, giới hạn = limit, vượt giới hạn = exceedance, hiệu chuẩn = calibration."""
VI = {
    "24 hours": "24 giờ", "7 days": "7 ngày", "30 days": "30 ngày", "A year": "Một năm",
    "readings": "giá trị đo", "hourly means": "trung bình giờ", "daily means": "trung bình ngày",
    "Give an ISO 8601 date or date-time.": "Nhập ngày hoặc ngày giờ theo ISO 8601.",
    "The end must be after the start.": "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
    "At most one year of readings per download.": "Mỗi lần tải tối đa một năm số liệu.",
    "Not measured at this station: %(codes)s.": "Trạm không đo: %(codes)s.",
    "dominant": "chủ đạo", "Station page": "Trang của trạm", "No AQI for this hour": "Không có AQI cho giờ này",
    "Concentration (µg/m³)": "Nồng độ (µg/m³)", "Sub-index": "Chỉ số thành phần",
    "Sensitive groups": "Nhóm nhạy cảm", "Everyone": "Người bình thường",
    "Measuring": "Đang đo", "Calibrating": "Đang hiệu chuẩn", "Instrument error": "Thiết bị lỗi",
    "No data for over an hour": "Không có số liệu quá 1 giờ",
    "Unsupported format; use CoverageJSON, GeoJSON or CSV.":
        "Định dạng không được hỗ trợ; dùng CoverageJSON, GeoJSON hoặc CSV.",
    "Give coords as a WKT point in longitude, latitude order: POINT(106.68 20.86).":
        "Nhập coords là một điểm WKT theo thứ tự kinh độ, vĩ độ: POINT(106.68 20.86).",
    "The point is outside longitude −180…180, latitude −90…90.": "Điểm nằm ngoài kinh độ −180…180, vĩ độ −90…90.",
    "Only CRS84 (longitude, latitude) is offered.": "Chỉ hỗ trợ hệ CRS84 (kinh độ, vĩ độ).",
    "At most one year of readings per request; narrow the interval.":
        "Mỗi yêu cầu tối đa một năm số liệu; hãy thu hẹp khoảng thời gian.",
    "No such location, or it is outside your scope.": "Không có vị trí này, hoặc vị trí nằm ngoài phạm vi của bạn.",
    "Metadata is offered as JSON only (f=json).": "Siêu dữ liệu chỉ có dạng JSON (f=json).",
    "Hai Phong environmental monitoring": "Quan trắc môi trường Hải Phòng",
    "Time series of the automatic monitoring stations (OGC API – EDR).":
        "Chuỗi số liệu theo thời gian của các trạm quan trắc tự động (OGC API – EDR).",
    "This document": "Tài liệu này", "Monitoring stations": "Trạm quan trắc",
    "Readings of the city network's and the facilities' monitoring stations. A facility's automatic monitoring "
    "data is public for 30 days (Decree 08/2022/ND-CP).":
        "Số liệu của các trạm quan trắc thuộc mạng lưới thành phố và của các cơ sở. Số liệu quan trắc tự động "
        "của cơ sở được công khai trong 30 ngày (Nghị định 08/2022/NĐ-CP).",
    "Locations": "Vị trí", "Position query": "Truy vấn theo điểm", "Location query": "Truy vấn theo vị trí",
    "Stations within %(m)d m of the point.": "Các trạm trong phạm vi %(m)d m quanh điểm.",
    "Locations are offered as GeoJSON only.": "Danh sách vị trí chỉ có dạng GeoJSON.",
    "Not measured here: %(codes)s. Measured: %(known)s.":
        "Không đo tại đây: %(codes)s. Các thông số được đo: %(known)s.",
    "No monitoring station within %(m)d m of the point.":
        "Không có trạm quan trắc nào trong phạm vi %(m)d m quanh điểm.",
    "Facilities' discharge monitoring": "Quan trắc nước thải, khí thải của cơ sở",
    "Air quality map": "Bản đồ chất lượng không khí",
    "Mode": "Phương thức", "Owner": "Chủ quản", "City monitoring network": "Mạng lưới quan trắc của thành phố",
    "Operator": "Đơn vị vận hành", "Discharge stream watched": "Dòng thải được quan trắc",
    "Last reading": "Số liệu gần nhất", "Status colours": "Màu trạng thái", "Last value": "Giá trị gần nhất",
    "Limit": "Giới hạn", "No parameter is configured for this station.": "Trạm chưa được khai báo thông số nào.",
    "Charts": "Biểu đồ", "Time range": "Khoảng thời gian",
    "No data in this range.": "Không có số liệu trong khoảng thời gian này.",
    "Download the last 24 hours' readings (CSV)": "Tải số liệu 24 giờ qua (CSV)",
    "Other periods:": "Khoảng thời gian khác:", "at most one year": "tối đa một năm",
    "Open exceedance events": "Các đợt vượt giới hạn đang diễn ra", "Averaging": "Thời gian trung bình",
    "Since": "Từ", "Peak": "Giá trị cao nhất", "No open exceedance.": "Không có đợt vượt giới hạn nào đang diễn ra.",
    "Hourly means, last 24 hours": "Trung bình giờ, 24 giờ qua",
    "Means of the readings measured normally; values under calibration or from an instrument in error are left "
    "out. Cells over the 1-hour limit are marked.":
        "Trung bình của các giá trị đo ở trạng thái bình thường; giá trị trong lúc hiệu chuẩn hoặc khi thiết bị "
        "lỗi không được tính. Các ô vượt giới hạn 1 giờ được đánh dấu.",
    "Hour": "Giờ", "over the limit": "vượt giới hạn", "No reading in this period.":
        "Không có số liệu trong khoảng thời gian này.",
    "Daily means, last 30 days": "Trung bình ngày, 30 ngày qua",
    "Mean of the day's hourly means (Vietnam calendar days). Cells over the 24-hour limit are marked.":
        "Trung bình của các giá trị trung bình giờ trong ngày (ngày theo giờ Việt Nam). Các ô vượt giới hạn "
        "24 giờ được đánh dấu.",
    "Day": "Ngày",
    "A facility's automatic monitoring data is published for %(days)s days (Decree 08/2022/ND-CP); older "
    "readings are not public.":
        "Số liệu quan trắc tự động của cơ sở được công khai trong %(days)s ngày (Nghị định 08/2022/NĐ-CP); "
        "số liệu cũ hơn không được công khai.",
    "Air quality (VN_AQI) in Hai Phong": "Chất lượng không khí (VN_AQI) tại Hải Phòng", "Legend": "Chú giải",
    "Air quality (VN_AQI)": "Chất lượng không khí (VN_AQI)", "No data": "Không có số liệu", "Stations": "Trạm",
    "Show on the map": "Xem trên bản đồ",
    "No air monitoring station is published yet.": "Chưa có trạm quan trắc không khí nào được công khai.",
    "Method": "Phương pháp",
    "Hourly AQI for the hour ending %(hour)s, stations of the city monitoring network.":
        "AQI giờ của giờ kết thúc lúc %(hour)s, các trạm thuộc mạng lưới quan trắc của thành phố.",
    "No facility monitoring station is published yet.": "Chưa có trạm quan trắc nào của cơ sở được công khai.",
    "From %(start)s to %(now)s (Vietnam time).": "Từ %(start)s đến %(now)s (giờ Việt Nam).",
    "%(n)s day over a limit": "%(n)s ngày vượt giới hạn",
    "Automatic monitoring of wastewater outfalls and stack emissions, published for %(days)s days and compared "
    "with the limits of each facility's environmental permit (Decree 08/2022/ND-CP). Each day shows the figure "
    "the limit applies to: the largest reading for a limit on each result, the largest hourly mean for an hourly "
    "limit, the daily mean for a daily one. Readings under calibration or from an instrument in error are left "
    "out.":
        "Số liệu quan trắc tự động nước thải và khí thải được công khai trong %(days)s ngày và so sánh với giới "
        "hạn trong giấy phép môi trường của từng cơ sở (Nghị định 08/2022/NĐ-CP). Mỗi ngày hiển thị giá trị "
        "tương ứng với giới hạn: giá trị đo lớn nhất với giới hạn áp dụng cho từng kết quả, trung bình giờ lớn "
        "nhất với giới hạn 1 giờ, trung bình ngày với giới hạn 24 giờ. Không tính các giá trị trong lúc hiệu "
        "chuẩn hoặc khi thiết bị lỗi.",
    # exceedance notices (templates/monitoring/email/) and the report prefill notes
    "Limit exceeded: %(parameter)s at %(station)s": "Vượt giới hạn: %(parameter)s tại %(station)s",
    "Monitoring station: %(code)s – %(name)s": "Trạm quan trắc: %(code)s – %(name)s",
    "The %(averaging)s average of %(parameter)s exceeded the permitted limit.":
        "Giá trị trung bình %(averaging)s của %(parameter)s đã vượt giới hạn cho phép.",
    "Start:": "Bắt đầu:", "End:": "Kết thúc:", "Limit:": "Giới hạn:",
    "still going on at the last data received": "vẫn đang tiếp diễn tại số liệu nhận được gần nhất",
    "Highest average:": "Giá trị trung bình cao nhất:",
    "Averaging windows over the limit:": "Số khoảng trung bình vượt giới hạn:",
    "Times are Vietnam time (UTC+7). Readings under calibration or in error are not counted.":
        "Thời gian theo giờ Việt Nam (UTC+7). Không tính các giá trị đo khi đang hiệu chuẩn hoặc thiết bị báo lỗi.",
    "This notice is sent once per event. Please check the station's data and, if the limit was broken, take "
    "corrective action and report it as the law requires.":
        "Thông báo này chỉ gửi một lần cho mỗi sự kiện. Đề nghị kiểm tra số liệu của trạm và, nếu vượt giới hạn, "
        "thực hiện biện pháp khắc phục và báo cáo theo quy định của pháp luật.",
    "Environmental permit %(number)s": "Giấy phép môi trường số %(number)s",
    "Values received: %(pct)s %%": "Tỷ lệ số liệu nhận được: %(pct)s %%",
    "under calibration: %(n)s": "đang hiệu chuẩn: %(n)s",
    "averages over the limit: %(detail)s": "giá trị trung bình vượt giới hạn: %(detail)s",
    "Monitoring": "Quan trắc", "last reading": "số liệu gần nhất", "since": "từ",
    "Air quality": "Chất lượng không khí",
    "Ongoing exceedance at a monitoring station": "Đang vượt giới hạn tại trạm quan trắc",
}
