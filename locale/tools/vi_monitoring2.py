"""Vietnamese translations of the monitoring models, the datalogger push API, the datalogger file and
periodic-results parsers and the periodic sampling import page. Applied by locale/tools/vi_translations.py.
Terms: quan trắc = monitoring, trạm = station, thông số = parameter, giới hạn = limit, vượt giới hạn =
exceedance, bộ ghi dữ liệu = datalogger, mã truy cập của trạm = station token, đợt quan trắc = sampling
campaign, điểm quan trắc = monitoring point, giới hạn phát hiện = detection limit, quy chuẩn = regulation."""
VI = {
    # monitoring/api/ (push of readings by the dataloggers)
    "Use the header “Authorization: Bearer <station token>”.":
        "Hãy dùng tiêu đề “Authorization: Bearer <mã truy cập của trạm>”.",
    "Invalid, expired or revoked station token.":
        "Mã truy cập của trạm không đúng, đã hết hạn hoặc đã bị thu hồi.",
    "This token belongs to another station.": "Mã truy cập này thuộc về trạm khác.",
    "The batch is larger than the allowed size.": "Gói số liệu vượt quá kích thước cho phép.",
    "The batch holds no readings.": "Gói số liệu không có giá trị đo nào.",
    "The body is not valid JSON.": "Nội dung yêu cầu không phải JSON hợp lệ.",
    "The batch is larger than the allowed size; nothing was written.":
        "Gói số liệu vượt quá kích thước cho phép; không có số liệu nào được ghi.",
    "The batch was refused as a whole; nothing was written.":
        "Toàn bộ gói số liệu bị từ chối; không có số liệu nào được ghi.",
    "%(rows)d row is rejected; nothing was written. Correct it and send the whole batch again.":
        "%(rows)d dòng bị từ chối; không có số liệu nào được ghi. Hãy sửa và gửi lại toàn bộ gói số liệu.",
    # monitoring/apps.py, monitoring/choices.py
    "Environmental monitoring": "Quan trắc môi trường",
    "Ambient air": "Không khí xung quanh", "Surface water": "Nước mặt", "Groundwater": "Nước dưới đất",
    "Seawater": "Nước biển", "Wastewater outfall": "Nước thải", "Stack emissions": "Khí thải",
    "Automatic, continuous": "Tự động, liên tục", "Periodic sampling": "Định kỳ",
    "Single value": "Giá trị đơn lẻ", "1 hour": "1 giờ", "8 hours": "8 giờ",
    "Surface, ground or sea water": "Nước mặt, nước dưới đất hoặc nước biển",
    # monitoring/ingest/parsing.py (field labels, used in “No %(field)s.”)
    "parameter": "thông số", "value": "giá trị", "unit": "đơn vị", "sampling campaign": "đợt quan trắc",
    "monitoring point": "điểm quan trắc", "sampling time": "thời gian lấy mẫu",
    "No %(field)s.": "Thiếu %(field)s.",
    "%(value)s is beyond ±10¹²: not a measurement.": "%(value)s vượt quá ±10¹²: không phải giá trị đo.",
    "%(time)s is more than %(minutes)d minutes after the time of receipt.":
        "%(time)s muộn hơn thời điểm nhận số liệu quá %(minutes)d phút.",
    "“%(value)s” carries the offset %(offset)s; the dataloggers write %(zone)s time.":
        "“%(value)s” có độ lệch múi giờ %(offset)s; bộ ghi dữ liệu ghi thời gian theo giờ %(zone)s.",
    "“%(value)s” is not a time in the format %(format)s.":
        "“%(value)s” không phải thời gian theo định dạng %(format)s.",
    "“%(value)s” carries a time-zone offset, which this file format does not allow.":
        "“%(value)s” có độ lệch múi giờ, điều mà định dạng tệp này không cho phép.",
    "“%(value)s” carries the offset %(offset)s; the dataloggers write %(zone)s time (%(expected)s).":
        "“%(value)s” có độ lệch múi giờ %(offset)s; bộ ghi dữ liệu ghi thời gian theo giờ %(zone)s "
        "(%(expected)s).",
    "The file name “%(name)s” does not follow the pattern <province>_<facility>_<station>_<yyyyMMddHHmmss>.txt.":
        "Tên tệp “%(name)s” không theo mẫu <mã tỉnh>_<mã cơ sở>_<mã trạm>_<yyyyMMddHHmmss>.txt.",
    "The file is not text in %(encodings)s.": "Tệp không phải văn bản mã hóa %(encodings)s.",
    "The file has more than %(max)d lines of readings.": "Tệp có quá %(max)d dòng số liệu.",
    "The line has %(n)d fields; %(expected)d are expected, separated by %(sep)s.":
        "Dòng có %(n)d trường; cần %(expected)d trường, ngăn cách bằng %(sep)s.",
    "Unknown parameter “%(code)s”.": "Không có thông số “%(code)s”.",
    "Unknown instrument status “%(value)s” (expected %(codes)s).":
        "Trạng thái thiết bị “%(value)s” không hợp lệ (giá trị hợp lệ: %(codes)s).",
    "The file holds no readings.": "Tệp không có giá trị đo nào.",
    "“%(value)s” is not an ISO 8601 time.": "“%(value)s” không phải thời gian theo ISO 8601.",
    "“%(value)s” has no time-zone offset; write it like 2026-01-05T08:00:00+07:00.":
        "“%(value)s” không có độ lệch múi giờ; hãy viết theo dạng 2026-01-05T08:00:00+07:00.",
    "The batch must be a JSON object with a list “readings”.":
        "Gói số liệu phải là một đối tượng JSON có danh sách “readings”.",
    "The batch has %(n)d readings; the limit is %(max)d.":
        "Gói số liệu có %(n)d giá trị đo; tối đa là %(max)d.",
    "Reading %(index)d is not a JSON object.": "Giá trị đo thứ %(index)d không phải đối tượng JSON.",
    "“%(field)s” must be text.": "“%(field)s” phải là chuỗi ký tự.",
    "The columns “%(a)s” and “%(b)s” both hold the %(field)s.":
        "Cả hai cột “%(a)s” và “%(b)s” đều chứa %(field)s.",
    "The table has no column for the %(field)s (accepted headers: %(aliases)s).":
        "Bảng không có cột %(field)s (tiêu đề được chấp nhận: %(aliases)s).",
    "“%(value)s” (not detected) needs the detection limit: write it as “<0.5”, with the limit.":
        "“%(value)s” (không phát hiện) cần ghi kèm giới hạn phát hiện: viết dạng “<0.5”, kèm giá trị giới hạn.",
    "“%(value)s”: only “<” (below the detection limit) may precede a result.":
        "“%(value)s”: chỉ được ghi “<” (dưới giới hạn phát hiện) trước kết quả.",
    "“%(value)s” is not a date (write it as dd/mm/yyyy).":
        "“%(value)s” không phải ngày (hãy viết theo dạng dd/mm/yyyy).",
    "“%(value)s” is not a valid date and time.": "“%(value)s” không phải ngày giờ hợp lệ.",
    "The table has more than %(max)d rows.": "Bảng có quá %(max)d dòng.",
    "Unknown monitoring point “%(code)s”.": "Không có điểm quan trắc “%(code)s”.",
    "The sampling time %(time)s is in the future.": "Thời gian lấy mẫu %(time)s ở tương lai.",
    "The table holds no results.": "Bảng không có kết quả nào.",
    "The CSV file cannot be read: %(error)s": "Không đọc được tệp CSV: %(error)s",
    "The workbook has no sheet “%(sheet)s”.": "Bảng tính không có trang tính “%(sheet)s”.",
    "No station has the datalogger identity “%(identity)s”.":
        "Không có trạm nào có mã định danh bộ ghi dữ liệu “%(identity)s”.",
    # monitoring/models.py
    "e.g. µg/Nm³, mg/L, °C": "vd. µg/Nm³, mg/L, °C", "aliases": "tên gọi khác", "units": "đơn vị",
    "medium": "thành phần môi trường", "canonical unit": "đơn vị chuẩn",
    "molar mass (g/mol)": "khối lượng mol (g/mol)", "VN_AQI parameter": "thông số VN_AQI",
    "SO2, CO, NO2, O3, PM10 or PM2.5 (Decision 1459/QĐ-TCMT)":
        "SO2, CO, NO2, O3, PM10 hoặc PM2.5 (Quyết định 1459/QĐ-TCMT)",
    "parameters": "thông số", "mode": "phương thức",
    "Empty for a station of the city network.": "Để trống nếu là trạm thuộc mạng lưới quan trắc của thành phố.",
    "discharge stream watched": "dòng thải được quan trắc", "datalogger identity": "mã định danh bộ ghi dữ liệu",
    "<province>_<facility>_<station> as in the file names": "<mã tỉnh>_<mã cơ sở>_<mã trạm> như trong tên tệp",
    "transmitting since": "truyền số liệu từ ngày", "monitoring station": "trạm quan trắc",
    "monitoring stations": "trạm quan trắc", "interval (minutes)": "chu kỳ đo (phút)",
    "5 for automatic stations (Circular 10/2021)": "5 đối với trạm tự động (Thông tư 10/2021/TT-BTNMT)",
    "station parameter": "thông số của trạm", "station parameters": "thông số của trạm",
    "station token": "mã truy cập của trạm", "station tokens": "mã truy cập của trạm",
    "regulation": "quy chuẩn", "e.g. QCVN 40:2011/BTNMT": "vd. QCVN 40:2011/BTNMT", "certainty": "độ tin cậy",
    "confirmed, secondary or unconfirmed (DOMAIN.md tags)":
        "confirmed, secondary hoặc unconfirmed (nhãn trong DOMAIN.md)",
    "factor tables": "bảng hệ số",
    "Kq/Kf (QCVN 40:2011) or Kp/Kv (QCVN 19:2009)": "Kq/Kf (QCVN 40:2011) hoặc Kp/Kv (QCVN 19:2009)",
    "limit set": "bộ giá trị giới hạn", "limit sets": "bộ giá trị giới hạn", "averaging": "thời gian trung bình",
    "lower bound": "cận dưới", "upper bound": "cận trên", "multiplied by the factors": "nhân với hệ số",
    "pH, temperature and coliform are not (QCVN 40:2011)":
        "Không áp dụng cho pH, nhiệt độ và coliform (QCVN 40:2011)",
    "limit value": "giá trị giới hạn", "limit values": "giá trị giới hạn",
    "permit limit": "giới hạn theo giấy phép", "permit limits": "giới hạn theo giấy phép",
    "observed at": "thời điểm đo", "reading": "giá trị đo", "sampled from": "lấy mẫu từ ngày",
    "sampled to": "lấy mẫu đến ngày", "sampling campaigns": "đợt quan trắc",
    "empty while it lasts": "để trống khi còn đang diễn ra", "peak": "giá trị cao nhất",
    "peak at": "thời điểm đạt giá trị cao nhất", "limit (lower)": "giới hạn (dưới)",
    "limit (upper)": "giới hạn (trên)", "limit": "giới hạn",
    "regulation and column, or the permit": "quy chuẩn và cột, hoặc giấy phép",
    "averaging windows over the limit": "số khoảng trung bình vượt giới hạn", "notified": "thời điểm thông báo",
    "exceedance event": "đợt vượt giới hạn", "exceedance events": "đợt vượt giới hạn",
    # monitoring/periodic_views.py, templates/monitoring/periodic_import.html
    "Results table": "Bảng kết quả",
    "CSV or Excel (.xlsx) with the columns: sampling campaign, monitoring point (station code), parameter, value, "
    "unit, sampling time; optionally a note.":
        "Tệp CSV hoặc Excel (.xlsx) gồm các cột: đợt quan trắc, điểm quan trắc (mã trạm), thông số, giá trị, "
        "đơn vị, thời gian lấy mẫu; có thể thêm ghi chú.",
    "%(n)d line has errors: correct the file and upload it again. Nothing is imported while any line has an "
    "error.":
        "%(n)d dòng có lỗi: hãy sửa tệp và tải lên lại. Không nhập dữ liệu nào khi còn dòng có lỗi.",
    "Imported %(n)d result.": "Đã nhập %(n)d kết quả.",
    "%(d)d already stored.": "%(d)d kết quả đã có trong hệ thống.",
    "Nothing new: all %(n)d results are already stored.":
        "Không có kết quả mới: cả %(n)d kết quả đã có trong hệ thống.",
    "The file is correct: %(n)d result would be imported": "Tệp hợp lệ: sẽ nhập %(n)d kết quả",
    "This preview has expired: upload the file again.": "Bản xem trước đã hết hạn: hãy tải tệp lên lại.",
    "Below the detection limit: stored as %(value)s.": "Dưới giới hạn phát hiện: lưu là %(value)s.",
    "%(parameter)s is not measured at %(point)s.": "%(parameter)s không được đo tại %(point)s.",
    "Unknown unit “%(unit)s”.": "Không có đơn vị “%(unit)s”.",
    "“%(unit)s” cannot be converted to %(canonical)s, the unit of %(parameter)s.":
        "Không chuyển đổi được “%(unit)s” sang %(canonical)s, đơn vị của %(parameter)s.",
    "%(parameter)s is not measured by this station.": "Trạm này không đo %(parameter)s.",
    "Import periodic monitoring results": "Nhập kết quả quan trắc định kỳ",
    "One line per result. Columns are recognised by their Vietnamese or English names, with or without "
    "diacritics: Đợt quan trắc / campaign, Điểm quan trắc / point (the station code), Thông số / parameter, "
    "Giá trị / value, Đơn vị / unit, Thời gian lấy mẫu / sampled at (dd/mm/yyyy, with a time if known), "
    "Ghi chú / note.":
        "Mỗi dòng một kết quả. Cột được nhận theo tên tiếng Việt hoặc tiếng Anh, có dấu hoặc không dấu: "
        "Đợt quan trắc / campaign, Điểm quan trắc / point (mã trạm), Thông số / parameter, Giá trị / value, "
        "Đơn vị / unit, Thời gian lấy mẫu / sampled at (dd/mm/yyyy, kèm giờ nếu có), Ghi chú / note.",
    "Results below the detection limit are written “&lt;0.5”. Values are converted to the parameter's unit. "
    "Only stations you may edit are accepted as points. Largest file: %(max_size)s.":
        "Kết quả dưới giới hạn phát hiện ghi dạng “&lt;0.5”. Giá trị được chuyển đổi sang đơn vị của thông số. "
        "Chỉ chấp nhận điểm quan trắc là các trạm bạn có quyền chỉnh sửa. Dung lượng tệp tối đa: %(max_size)s.",
    "Check of the file (dry run)": "Kết quả kiểm tra tệp (chạy thử)",
    "Sampling campaign": "Đợt quan trắc", "Sampled": "Thời gian lấy mẫu", "Results": "Kết quả",
    "New results": "Kết quả mới", "Already stored": "Đã có trong hệ thống",
    "Lines repeating an earlier line (ignored)": "Dòng trùng với dòng trước đó (bỏ qua)",
    "Line": "Dòng", "Column": "Cột", "Value": "Giá trị",
    "… and %(n)s more line with errors.": "… và %(n)s dòng có lỗi khác.",
    "Warnings": "Cảnh báo",
}
