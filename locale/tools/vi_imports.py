"""Vietnamese for importing features and the permit tracking book (layers/imports)."""
VI = {
    # Report
    "Dry run: %(create)d to create, %(update)d to update, %(unchanged)d unchanged, %(reject)d rejected, "
    "%(review)d to review.":
        "Kiểm tra thử: %(create)d mục sẽ thêm mới, %(update)d mục sẽ cập nhật, %(unchanged)d mục không đổi, "
        "%(reject)d dòng bị từ chối, %(review)d mục cần rà soát.",
    "Imported: %(create)d created, %(update)d updated, %(unchanged)d unchanged, %(review)d to review.":
        "Đã nhập: thêm mới %(create)d mục, cập nhật %(update)d mục, %(unchanged)d mục không đổi, "
        "%(review)d mục cần rà soát.",
    # Cells
    "“%(raw)s” is ambiguous: read as %(chosen)s, but it could be %(other)s":
        "“%(raw)s” không rõ nghĩa: đã đọc là %(chosen)s nhưng cũng có thể là %(other)s",
    "“%(v)s” is not a date (write it as dd/mm/yyyy)": "“%(v)s” không phải ngày tháng (ghi theo dạng ngày/tháng/năm)",
    "“%(v)s” is not yes/no (có/không)": "“%(v)s” không phải giá trị có/không",
    "longer than %(n)d characters": "dài quá %(n)d ký tự",
    "“%(v)s” is not a number": "“%(v)s” không phải là số",
    "“%(v)s” is not a finite number": "“%(v)s” không phải là số hữu hạn",
    "“%(v)s” is not a valid date": "“%(v)s” không phải ngày hợp lệ",
    "“%(v)s” is not one of: %(allowed)s": "“%(v)s” không thuộc các giá trị: %(allowed)s",
    "“%(v)s” is not a tax code (10 digits, or 10 digits-3 digits)":
        "“%(v)s” không phải mã số thuế (10 chữ số, hoặc 10 chữ số-3 chữ số)",
    "tax code %(raw)s was stored as a number; read as %(code)s":
        "mã số thuế %(raw)s được lưu dạng số; đã đọc là %(code)s",
    "%(v)s is too large": "%(v)s quá lớn",
    "“%(v)s” is not a whole number": "“%(v)s” không phải số nguyên",
    "“%(v)s” is not in the catalogue %(cat)s; left empty": "“%(v)s” không có trong danh mục %(cat)s; để trống",
    "%(v)s rounded to %(r)s": "%(v)s đã được làm tròn thành %(r)s",
    "column “%(column)s” is required": "cột “%(column)s” là bắt buộc",
    "column “%(column)s”: %(error)s": "cột “%(column)s”: %(error)s",
    "column “%(column)s”: %(note)s": "cột “%(column)s”: %(note)s",
    "column “%(column)s”: a quantity cannot be negative": "cột “%(column)s”: khối lượng không được âm",
    "The column for “%(field)s” is missing: name it %(names)s.":
        "Thiếu cột cho trường “%(field)s”: đặt tên cột là %(names)s.",
    "Columns not imported: %(columns)s.": "Các cột không được nhập: %(columns)s.",
    # Files and archives
    "Files of type “%(ext)s” are not accepted; use %(accepted)s.":
        "Không chấp nhận tệp loại “%(ext)s”; hãy dùng %(accepted)s.",
    "The file is larger than the limit of %(mb)s MB.": "Tệp vượt quá dung lượng cho phép %(mb)s MB.",
    "The content of the file does not match its type (%(fmt)s).":
        "Nội dung tệp không đúng với loại tệp (%(fmt)s).",
    "The archive contains an unsafe file name: %(name)s": "Tệp nén chứa tên tệp không an toàn: %(name)s",
    "The file is not a valid zip archive.": "Tệp không phải tệp nén zip hợp lệ.",
    "The archive has %(n)d entries; the limit is %(max)d.": "Tệp nén có %(n)d mục; giới hạn là %(max)d.",
    "Encrypted archives are not accepted.": "Không chấp nhận tệp nén có mật khẩu.",
    "The archive uses an unsupported compression method.": "Tệp nén dùng phương thức nén không được hỗ trợ.",
    "The archive has overlapping entries.": "Tệp nén có các mục chồng lấn nhau.",
    "The archive unpacks to more than it declares.": "Tệp nén giải nén ra nhiều hơn dung lượng khai báo.",
    "The archive contains a symbolic link: %(name)s": "Tệp nén chứa liên kết tượng trưng: %(name)s",
    "The archive contains the same name twice: %(name)s": "Tệp nén chứa hai tệp trùng tên: %(name)s",
    "The archive would unpack to more than %(mb)d MB.": "Tệp nén khi giải nén sẽ vượt quá %(mb)d MB.",
    "The archive entry %(name)s is compressed more than %(ratio)d:1 (a zip bomb?).":
        "Mục %(name)s trong tệp nén có tỷ lệ nén vượt quá %(ratio)d:1 (nghi là “bom zip”).",
    "The zip archive contains no Shapefile (.shp).": "Tệp zip không chứa Shapefile (.shp).",
    "The Shapefile %(name)s lacks its %(parts)s file.": "Shapefile %(name)s thiếu tệp %(parts)s.",
    "The file contains no layer.": "Tệp không có lớp dữ liệu nào.",
    "There is no layer “%(name)s” in the file; its layers are: %(names)s.":
        "Tệp không có lớp “%(name)s”; các lớp trong tệp là: %(names)s.",
    "The file has several layers (%(names)s): choose one.": "Tệp có nhiều lớp (%(names)s): hãy chọn một lớp.",
    "The file cannot be read as %(fmt)s.": "Không đọc được tệp theo định dạng %(fmt)s.",
    "The file has %(n)d rows; the limit is %(max)d.": "Tệp có %(n)d dòng; giới hạn là %(max)d.",
    "The file has more than %(max)d rows.": "Tệp có nhiều hơn %(max)d dòng.",
    "%(name)s declares a DOCTYPE, entities or external documents, which are not accepted.":
        "%(name)s khai báo DOCTYPE, thực thể hoặc tài liệu bên ngoài; nội dung này không được chấp nhận.",
    "The file is not a valid Excel workbook (.xlsx).": "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.",
    "The file is not UTF-8; it was read as Windows-1258 (Vietnamese).":
        "Tệp không dùng mã UTF-8; đã đọc theo bảng mã Windows-1258 (tiếng Việt).",
    "The CSV file has no header row.": "Tệp CSV không có dòng tiêu đề.",
    "The CSV file cannot be read: %(e)s": "Không đọc được tệp CSV: %(e)s",
    # Coordinates and geometry
    "The file has no coordinate system: choose one (for example VN-2000 Hai Phong, EPSG:9210).":
        "Tệp không có thông tin hệ tọa độ: hãy chọn hệ tọa độ (ví dụ VN-2000 Hải Phòng, EPSG:9210).",
    "The file's coordinate system is not recognised as an EPSG code: choose the coordinate system.":
        "Hệ tọa độ của tệp không nhận diện được theo mã EPSG: hãy chọn hệ tọa độ.",
    "The file's coordinate system is not an EPSG code; EPSG:%(srid)s was used as chosen.":
        "Hệ tọa độ của tệp không có mã EPSG; đã dùng EPSG:%(srid)s theo lựa chọn.",
    "The file declares EPSG:%(file)s; the chosen EPSG:%(chosen)s was not used.":
        "Tệp khai báo hệ tọa độ EPSG:%(file)s; hệ EPSG:%(chosen)s được chọn không được sử dụng.",
    "No coordinate columns found: name them lon/lat (WGS 84) or X/Y with the coordinate system (in VN-2000, "
    "X is the northing and Y the easting), or choose the columns.":
        "Không tìm thấy cột tọa độ: đặt tên cột là lon/lat (WGS 84) hoặc X/Y kèm hệ tọa độ (trong VN-2000, "
        "X là tọa độ hướng Bắc, Y là tọa độ hướng Đông), hoặc chọn cột tọa độ.",
    "Give both coordinate columns (X and Y).": "Hãy chọn cả hai cột tọa độ (X và Y).",
    "Choose the coordinate system of the columns %(x)s and %(y)s.":
        "Hãy chọn hệ tọa độ của các cột %(x)s và %(y)s.",
    "There is no column “%(c)s” (%(option)s); the columns are: %(all)s.":
        "Không có cột “%(c)s” (%(option)s); các cột trong tệp là: %(all)s.",
    "No coordinates (columns %(x)s, %(y)s).": "Thiếu tọa độ (cột %(x)s, %(y)s).",
    "The geometry has %(n)d vertices; the limit is %(max)d.": "Đối tượng hình học có %(n)d đỉnh; giới hạn là %(max)d.",
    "No readable geometry.": "Không đọc được dữ liệu hình học.",
    "a point": "một điểm", "a polygon": "một vùng",
    "A %(found)s cannot go into this layer: it needs %(expected)s.":
        "Không thể đưa đối tượng kiểu %(found)s vào lớp này: lớp cần %(expected)s.",
    "The geometry is invalid and cannot be repaired (%(reason)s).":
        "Dữ liệu hình học không hợp lệ và không sửa được (%(reason)s).",
    "The geometry has several points; this layer needs one point.":
        "Đối tượng có nhiều điểm; lớp này chỉ nhận một điểm.",
    "Outside Vietnam (%(lat).5f, %(lon).5f): check the coordinate system and the order of X and Y.":
        "Nằm ngoài lãnh thổ Việt Nam (%(lat).5f, %(lon).5f): kiểm tra hệ tọa độ và thứ tự X, Y.",
    "Outside Hai Phong (%(lat).5f, %(lon).5f).": "Nằm ngoài thành phố Hải Phòng (%(lat).5f, %(lon).5f).",
    "Invalid geometry repaired (%(reason)s).": "Đã sửa dữ liệu hình học không hợp lệ (%(reason)s).",
    # Matching and saving
    "The row could not be saved.": "Không lưu được dòng này.",
    "The geometries of rows %(first)d to %(last)d could not be checked.":
        "Không kiểm tra được dữ liệu hình học của các dòng %(first)d đến %(last)d.",
    "Possible duplicate of %(features)s: created as a new entry; check it before approving.":
        "Có thể trùng với %(features)s: đã tạo mục mới; cần kiểm tra trước khi phê duyệt.",
    "The same feature as row %(row)d.": "Trùng đối tượng với dòng %(row)d.",
    "An entry with the same name exists in another administrative unit: %(features)s.":
        "Đã có mục cùng tên ở đơn vị hành chính khác: %(features)s.",
    # Permit book
    "provisional location: centre of the commune/ward": "vị trí tạm theo trung tâm xã/phường",
    "no permit number and symbol (such as 123/GPMT-UBND) in “%(v)s”":
        "không có số và ký hiệu giấy phép (ví dụ 123/GPMT-UBND) trong “%(v)s”",
    "the address is empty": "địa chỉ để trống",
    "no commune or ward of Hai Phong is named in the address":
        "địa chỉ không nêu tên xã, phường, đặc khu nào của Hải Phòng",
    "the address names several communes or wards (%(names)s)": "địa chỉ nêu nhiều xã, phường (%(names)s)",
    "No header row with “Tên cơ sở” and “Giấy phép số” in the first 30 rows.":
        "Không tìm thấy dòng tiêu đề có “Tên cơ sở” và “Giấy phép số” trong 30 dòng đầu.",
    "The same permit as row %(row)d.": "Trùng giấy phép với dòng %(row)d.",
    "Several facilities are named “%(name)s” (%(ids)s): give them distinct names or addresses first.":
        "Có nhiều cơ sở cùng tên “%(name)s” (%(ids)s): cần phân biệt tên hoặc địa chỉ trước khi nhập.",
    "New facility “%(name)s” cannot be placed: %(why)s.": "Không xác định được vị trí cơ sở mới “%(name)s”: %(why)s.",
    "signed in %(signed)d but listed under “%(group)s”": "ký năm %(signed)d nhưng ghi trong nhóm “%(group)s”",
    "signing date missing": "thiếu ngày ký",
    "signing date missing; the year group gives %(year)d": "thiếu ngày ký; theo nhóm năm là năm %(year)d",
    "issuing authority unknown for the symbol “%(symbol)s”":
        "không xác định được cơ quan cấp phép theo ký hiệu “%(symbol)s”",
    "the symbol “%(symbol)s” suggests another issuing authority than the one recorded":
        "ký hiệu “%(symbol)s” cho thấy cơ quan cấp phép khác với cơ quan đã ghi nhận",
    "%(n)d %(kind)s streams: the total %(flow)s was not split among them":
        "có %(n)d dòng thải loại %(kind)s: tổng lưu lượng %(flow)s chưa được phân bổ cho từng dòng",
    # Batches, form and pages
    "Only the person who uploaded the file can import or cancel it.":
        "Chỉ người đã tải tệp lên mới được nhập hoặc hủy.",
    "This import is already %(status)s.": "Lượt nhập này đã ở trạng thái %(status)s.",
    "Permit tracking book (Excel .xlsx)": "Sổ theo dõi giấy phép môi trường (Excel .xlsx)",
    "From the file (or WGS 84 lon/lat for CSV)": "Theo tệp (hoặc WGS 84 kinh độ/vĩ độ với tệp CSV)",
    "Import into": "Nhập vào",
    "GeoJSON, Shapefile (.zip), GeoPackage, KML or CSV with coordinate columns; the permit book as .xlsx.":
        "GeoJSON, Shapefile (.zip), GeoPackage, KML hoặc CSV có cột tọa độ; sổ theo dõi giấy phép dạng .xlsx.",
    "Layer in the file": "Lớp dữ liệu trong tệp",
    "For a GeoPackage or a zip with several layers.": "Dùng cho GeoPackage hoặc tệp zip có nhiều lớp.",
    "When the file has none; for CSV, the system of the X/Y columns.":
        "Khi tệp không có thông tin hệ tọa độ; với CSV là hệ tọa độ của các cột X/Y.",
    "CSV: X column": "CSV: cột X",
    "Longitude in WGS 84; in VN-2000, X is the northing.": "Kinh độ nếu là WGS 84; trong VN-2000, X là tọa độ hướng Bắc.",
    "CSV: Y column": "CSV: cột Y",
    "Latitude in WGS 84; in VN-2000, Y is the easting.": "Vĩ độ nếu là WGS 84; trong VN-2000, Y là tọa độ hướng Đông.",
    "The import was cancelled; nothing was imported.": "Đã hủy lượt nhập; không có dữ liệu nào được nhập.",
    "Imported.": "Đã nhập dữ liệu.",
    "Nothing was imported.": "Không có dữ liệu nào được nhập.",
    "Import": "Nhập dữ liệu",
    "Imports": "Nhập dữ liệu từ tệp",
    "Import a file": "Nhập dữ liệu từ tệp",
    "Into": "Vào lớp",
    "Finished": "Hoàn tất lúc",
    "Coordinate system of the file": "Hệ tọa độ của tệp",
    "Some rows are rejected: correct the file and upload it again. Nothing is imported while any row is rejected.":
        "Có dòng bị từ chối: hãy sửa tệp và tải lên lại. Không nhập dữ liệu nào khi còn dòng bị từ chối.",
    "Show all rows": "Hiện tất cả các dòng",
    "Show only rows with messages": "Chỉ hiện các dòng có thông báo",
    "Row": "Dòng",
    "Outcome": "Kết quả",
    "Review": "Rà soát",
    "Messages": "Thông báo",
    "create": "thêm mới",
    "update": "cập nhật",
    "unchanged": "không đổi",
    "No rows.": "Không có dòng nào.",
    "Back to the imports": "Quay lại danh sách lượt nhập",
    "Download the permit tracking book (.xlsx)": "Tải sổ theo dõi giấy phép môi trường (.xlsx)",
    "A file is first checked without writing anything (a dry run). You then import it, all or nothing, or cancel.":
        "Tệp được kiểm tra thử trước, chưa ghi dữ liệu. Sau đó bạn chọn nhập (nhập toàn bộ hoặc không nhập gì) "
        "hoặc hủy.",
    "New entries": "Mục thêm mới",
    "Updated entries": "Mục cập nhật",
    "Rejected rows": "Dòng bị từ chối",
    "To review": "Cần rà soát",
    "No imports yet.": "Chưa có lượt nhập nào.",
    "Columns are recognised by their Vietnamese or English names, with or without diacritics (for facilities: "
    "Tên cơ sở / name, Mã số thuế / mst, Địa chỉ, Công suất...). Numbers may be written the Vietnamese way "
    "(1.949 or 3.074,5); an ambiguous number is flagged for review, never guessed.":
        "Cột được nhận theo tên tiếng Việt hoặc tiếng Anh, có dấu hoặc không dấu (với cơ sở: Tên cơ sở / name, "
        "Mã số thuế / mst, Địa chỉ, Công suất...). Số được ghi theo cách viết Việt Nam (1.949 hoặc 3.074,5); "
        "số không rõ nghĩa sẽ được đánh dấu cần rà soát, không tự suy đoán.",
    "CSV files need coordinate columns: lon/lat in WGS 84, or X/Y in VN-2000 with the coordinate system chosen "
    "below (X is the northing, Y the easting).":
        "Tệp CSV cần có cột tọa độ: lon/lat theo WGS 84, hoặc X/Y theo VN-2000 kèm hệ tọa độ chọn bên dưới "
        "(X là tọa độ hướng Bắc, Y là tọa độ hướng Đông).",
    "Check the file (dry run)": "Kiểm tra tệp (chạy thử)",
}
