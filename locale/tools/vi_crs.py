"""Vietnamese translations of the coordinate messages: geoportal/core/crs.py, the
conversion API (geoportal/core/crs_api.py) and the location widgets (layers/widgets.py,
templates/layers/widgets/). Applied by locale/tools/vi_translations.py.

Terms: X = tọa độ X (hướng Bắc), Y = tọa độ Y (hướng Đông), as in Vietnamese survey
practice; hệ tọa độ = coordinate system; kinh tuyến trục = central meridian."""
VI = {
    # geoportal/core/crs.py
    "The coordinates must be finite numbers.": "Tọa độ phải là số hữu hạn.",
    "The latitude must be between -90 and 90 degrees.": "Vĩ độ phải nằm trong khoảng từ -90 đến 90 độ.",
    "The longitude must be between -180 and 180 degrees.": "Kinh độ phải nằm trong khoảng từ -180 đến 180 độ.",
    "The latitude must be between -90 and 90 degrees; latitude and longitude look swapped.":
        "Vĩ độ phải nằm trong khoảng từ -90 đến 90 độ; có vẻ vĩ độ và kinh độ đã bị nhập đảo chỗ.",
    "X and Y look swapped: in VN-2000, X is the northing (about 2 300 000 m in Hai Phong) "
    "and Y the easting (about 600 000 m).":
        "Có vẻ X và Y đã bị nhập đảo chỗ: trong hệ VN-2000, X là tọa độ hướng Bắc (khoảng 2 300 000 m "
        "tại Hải Phòng), Y là tọa độ hướng Đông (khoảng 600 000 m).",
    "X (northing) = %(value)s m is outside the range for Hai Phong (%(low)s to %(high)s m).":
        "X (hướng Bắc) = %(value)s m nằm ngoài phạm vi của Hải Phòng (từ %(low)s đến %(high)s m).",
    "Y (easting) = %(value)s m is outside the range for Hai Phong (%(low)s to %(high)s m).":
        "Y (hướng Đông) = %(value)s m nằm ngoài phạm vi của Hải Phòng (từ %(low)s đến %(high)s m).",
    "Unsupported coordinate system: %(crs)s.": "Hệ tọa độ không được hỗ trợ: %(crs)s.",
    "These coordinates cannot be converted from EPSG:%(from)s to EPSG:%(to)s.":
        "Không thể chuyển đổi tọa độ này từ EPSG:%(from)s sang EPSG:%(to)s.",
    "EPSG:%(srid)s is not a VN-2000 projected system.": "EPSG:%(srid)s không phải là hệ tọa độ phẳng VN-2000.",
    "Enter a coordinate.": "Hãy nhập tọa độ.",
    "The coordinate is too long.": "Tọa độ nhập vào quá dài.",
    "Write degrees, then minutes, then seconds.": "Hãy ghi lần lượt độ, phút rồi đến giây.",
    "Only the last part (degrees, minutes or seconds) may have decimals.":
        "Chỉ thành phần cuối cùng (độ, phút hoặc giây) được có phần thập phân.",
    "Minutes must be less than 60.": "Số phút phải nhỏ hơn 60.",
    "Seconds must be less than 60.": "Số giây phải nhỏ hơn 60.",
    "Too many numbers: write degrees, minutes and seconds at most.":
        "Quá nhiều số: chỉ ghi tối đa độ, phút và giây.",
    "This is a longitude (E/W), not a latitude.": "Giá trị này là kinh độ (Đông/Tây), không phải vĩ độ.",
    "This is a latitude (N/S), not a longitude.": "Giá trị này là vĩ độ (Bắc/Nam), không phải kinh độ.",
    "Use either a minus sign or a hemisphere letter, not both.":
        "Chỉ dùng dấu trừ hoặc ký hiệu bán cầu, không dùng cả hai.",
    "“%(text)s” is not a coordinate in degrees, minutes and seconds.":
        "“%(text)s” không phải là tọa độ dạng độ, phút, giây.",
    "Give the hemisphere only once.": "Chỉ ghi ký hiệu bán cầu một lần.",
    "Unknown hemisphere “%(word)s”: use N/S/E/W or B/Nam/Đ/T.":
        "Ký hiệu bán cầu “%(word)s” không hợp lệ: dùng B/Nam/Đ/T hoặc N/S/E/W.",
    "Enter exactly two coordinates: latitude and longitude.": "Hãy nhập đúng hai giá trị: vĩ độ và kinh độ.",
    "Both values are latitudes or both are longitudes.": "Cả hai giá trị đều là vĩ độ hoặc đều là kinh độ.",
    "Could not tell the latitude from the longitude: separate them with a semicolon, "
    "e.g. 20°49'36.5\"N; 106°46'28.2\"E.":
        "Không phân biệt được vĩ độ và kinh độ: hãy ngăn cách bằng dấu chấm phẩy, "
        "ví dụ 20°49'36,5\"B; 106°46'28,2\"Đ.",
    "“%(text)s” is not a number.": "“%(text)s” không phải là số.",
    # geoportal/core/crs_api.py
    "Give x and y with a projected srid, or lon and lat, or dms.":
        "Hãy nhập x và y kèm srid của hệ tọa độ phẳng, hoặc lon và lat, hoặc dms.",
    "Enter X (northing).": "Hãy nhập X (hướng Bắc).",
    "Enter Y (easting).": "Hãy nhập Y (hướng Đông).",
    "Enter the longitude.": "Hãy nhập kinh độ.",
    "Enter the latitude.": "Hãy nhập vĩ độ.",
    "x and y need a projected coordinate system: %(srids)s.":
        "x và y phải thuộc một hệ tọa độ phẳng: %(srids)s.",
    "lon and lat are WGS 84 (srid 4326).": "lon và lat là tọa độ WGS 84 (srid 4326).",
    "dms is WGS 84 (srid 4326).": "dms là tọa độ WGS 84 (srid 4326).",
    # layers/widgets.py
    "The geometry is empty.": "Dữ liệu không gian trống.",
    "The geometry is too large.": "Dữ liệu không gian quá lớn.",
    "The geometry has too many vertices (at most %(max)s).":
        "Dữ liệu không gian có quá nhiều đỉnh (tối đa %(max)s).",
    "The geometry could not be read. Place it on the map again.":
        "Không đọc được dữ liệu không gian. Hãy xác định lại trên bản đồ.",
    "The boundary crosses itself near %(lat).5f N, %(lon).5f E. Redraw it so that its edges "
    "do not cross and its parts do not overlap.":
        "Ranh giới tự cắt nhau gần vị trí %(lat).5f độ vĩ Bắc, %(lon).5f độ kinh Đông. Hãy vẽ lại để "
        "các cạnh không cắt nhau và các phần không chồng lấn.",
    "The boundary is not a valid polygon (%(reason)s).": "Ranh giới không phải là vùng hợp lệ (%(reason)s).",
    "The location is not a valid point (%(reason)s).": "Vị trí không phải là điểm hợp lệ (%(reason)s).",
    "Place one point (got a %(type)s).": "Hãy xác định một điểm (dữ liệu nhận được là %(type)s).",
    "Draw the area as one or more polygons (got a %(type)s).":
        "Hãy vẽ khu vực bằng một hoặc nhiều vùng (dữ liệu nhận được là %(type)s).",
    "The point (%(lat).5f N, %(lon).5f E) is outside Vietnam. Check the coordinate system and the "
    "order of X and Y.":
        "Điểm (%(lat).5f độ vĩ Bắc, %(lon).5f độ kinh Đông) nằm ngoài lãnh thổ Việt Nam. Hãy kiểm tra "
        "hệ tọa độ và thứ tự X, Y.",
    "The area reaches outside Vietnam. Check the coordinate system and the order of X and Y.":
        "Khu vực vượt ra ngoài lãnh thổ Việt Nam. Hãy kiểm tra hệ tọa độ và thứ tự X, Y.",
    "X (northing)": "X (hướng Bắc)",
    "Y (easting)": "Y (hướng Đông)",
    "Latitude": "Vĩ độ",
    "Longitude": "Kinh độ",
    "Place the location on the map or enter its coordinates.":
        "Hãy xác định vị trí trên bản đồ hoặc nhập tọa độ.",
    "The location could not be read.": "Không đọc được vị trí.",
    "Draw the area on the map.": "Hãy vẽ khu vực trên bản đồ.",
    "The area could not be read.": "Không đọc được khu vực.",
    "Converting…": "Đang chuyển đổi…",
    "The conversion service is not available; the coordinates will be converted when you save.":
        "Dịch vụ chuyển đổi tọa độ tạm thời không truy cập được; tọa độ sẽ được chuyển đổi khi lưu.",
    "The conversion service is not available.": "Dịch vụ chuyển đổi tọa độ tạm thời không truy cập được.",
    "This position is outside Vietnam. Check the coordinate system and the order of X and Y.":
        "Vị trí này nằm ngoài lãnh thổ Việt Nam. Hãy kiểm tra hệ tọa độ và thứ tự X, Y.",
    "This position is outside Hai Phong.": "Vị trí này nằm ngoài địa giới thành phố Hải Phòng.",
    "WGS 84": "WGS 84",
    "VN-2000 Hai Phong (105°45′)": "VN-2000 Hải Phòng (kinh tuyến trục 105°45′)",
    "Placed on the map": "Đã xác định trên bản đồ",
    # Leaflet-Geoman tool tips
    "Click to place the first vertex": "Nhấp để đặt đỉnh đầu tiên",
    "Click to continue drawing": "Nhấp để vẽ tiếp",
    "Click the first vertex to finish": "Nhấp vào đỉnh đầu tiên để kết thúc",
    "Click to finish": "Nhấp để kết thúc",
    "Finish": "Hoàn tất",
    "Cancel": "Hủy",
    "Remove the last vertex": "Xóa đỉnh vừa vẽ",
    "Draw a polygon": "Vẽ vùng",
    "Draw a rectangle": "Vẽ hình chữ nhật",
    "Edit vertices": "Sửa đỉnh",
    "Move polygons": "Di chuyển vùng",
    "Cut a hole": "Cắt bỏ một phần",
    "Delete polygons": "Xóa vùng",
    # templates/layers/widgets/
    "Map: click to place the location, drag the marker to move it":
        "Bản đồ: nhấp để xác định vị trí, kéo điểm đánh dấu để di chuyển",
    "Click the map to place the location and drag the marker to adjust it, or enter the coordinates below.":
        "Nhấp lên bản đồ để xác định vị trí và kéo điểm đánh dấu để điều chỉnh, hoặc nhập tọa độ bên dưới.",
    "Map: draw and edit the boundary with the tools on the left":
        "Bản đồ: vẽ và chỉnh sửa ranh giới bằng các công cụ bên trái",
    "Draw the boundary with the polygon tool; edit, move, cut or delete it with the other tools. "
    "Several polygons make one area; they must not overlap or cross themselves.":
        "Vẽ ranh giới bằng công cụ vẽ vùng; sửa, di chuyển, cắt hoặc xóa bằng các công cụ còn lại. "
        "Nhiều vùng hợp thành một khu vực; các vùng không được chồng lấn hoặc tự cắt nhau.",
    "Or enter the coordinates": "Hoặc nhập tọa độ",
    "Find a point by its coordinates": "Tìm điểm theo tọa độ",
    "Coordinate system": "Hệ tọa độ",
    "X – northing (m)": "X – hướng Bắc (m)",
    "Y – easting (m)": "Y – hướng Đông (m)",
    "Latitude (°)": "Vĩ độ (°)",
    "Longitude (°)": "Kinh độ (°)",
    "Latitude and longitude (degrees, minutes, seconds)": "Vĩ độ và kinh độ (độ, phút, giây)",
    "Move the marker here": "Chuyển điểm đánh dấu đến đây",
    "Show this point on the map": "Hiển thị điểm này trên bản đồ",
    "VN-2000: X is the northing (about 2 300 000 m in Hai Phong), Y the easting (about 600 000 m). "
    "Numbers may be written 2 304 118,61 or 2304118.61.":
        "VN-2000: X là tọa độ hướng Bắc (khoảng 2 300 000 m tại Hải Phòng), Y là tọa độ hướng Đông "
        "(khoảng 600 000 m). Có thể viết số dạng 2 304 118,61 hoặc 2304118.61.",
}
