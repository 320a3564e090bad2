"""Vietnamese translations for documents attached to features and records (issue 3);
merged into the catalogue by locale/tools/vi_translations.py."""
VI = {
    # pages and form
    "Documents of %(target)s": "Tài liệu đính kèm – %(target)s",
    "Attach a document": "Đính kèm tài liệu",
    "Attach": "Đính kèm",
    "Delete": "Xóa",
    "Actions": "Thao tác",
    "File": "Tệp",
    "Title": "Tiêu đề",
    "Kind of document": "Loại tài liệu",
    "Public": "Công khai",
    "public": "công khai",
    "Uploaded": "Thời điểm tải lên",
    "No documents yet.": "Chưa có tài liệu nào.",
    "Leave empty to use the file name.": "Để trống để dùng tên tệp làm tiêu đề.",
    "Anyone can download a public document once its entry is approved.":
        "Mọi người đều tải được tài liệu công khai sau khi thông tin có tài liệu đính kèm được phê duyệt.",
    "Accepted: %(types)s. Largest file: %(max)s; images: %(images)s.":
        "Định dạng được nhận: %(types)s. Dung lượng tối đa: %(max)s; riêng ảnh: %(images)s.",
    "Files are checked before they are stored: the content must match the extension; files with macros, "
    "HTML and SVG are refused.":
        "Tệp được kiểm tra trước khi lưu: nội dung phải khớp với phần mở rộng; tệp có macro, tệp HTML và SVG "
        "bị từ chối.",
    "The document was not attached. Correct the errors below.":
        "Chưa đính kèm được tài liệu. Vui lòng sửa các lỗi dưới đây.",
    "The document “%(title)s” was attached.": "Đã đính kèm tài liệu “%(title)s”.",
    "The document “%(title)s” was deleted.": "Đã xóa tài liệu “%(title)s”.",
    "Choose a kind of document.": "Vui lòng chọn loại tài liệu.",
    "Only the Department or the Economic Zone board can make a document public.":
        "Chỉ Sở hoặc Ban Quản lý Khu kinh tế được công khai tài liệu.",
    # file checks
    "The file is empty.": "Tệp không có nội dung.",
    "The file name has no extension. Accepted types: %(types)s.":
        "Tên tệp không có phần mở rộng. Các định dạng được nhận: %(types)s.",
    "Files of type %(ext)s are not accepted. Accepted types: %(types)s.":
        "Không nhận tệp định dạng %(ext)s. Các định dạng được nhận: %(types)s.",
    "Old-format Office files (%(ext)s) are not accepted: save the file as DOCX, XLSX or PDF and upload it again.":
        "Không nhận tệp Office định dạng cũ (%(ext)s): vui lòng lưu tệp dưới dạng DOCX, XLSX hoặc PDF rồi tải "
        "lên lại.",
    "Macro-enabled files (%(ext)s) are not accepted: save the file as DOCX or XLSX without macros and upload it "
    "again.":
        "Không nhận tệp có macro (%(ext)s): vui lòng lưu tệp dưới dạng DOCX hoặc XLSX không có macro rồi tải "
        "lên lại.",
    "HTML, SVG and XML files (%(ext)s) are not accepted, because they can run scripts in a browser.":
        "Không nhận tệp HTML, SVG và XML (%(ext)s) vì các tệp này có thể chạy mã lệnh trong trình duyệt.",
    "The file is larger than the limit of %(limit)s.": "Tệp vượt quá dung lượng tối đa %(limit)s.",
    "The file is too large (%(size)s). The limit for %(type)s files is %(limit)s.":
        "Tệp quá lớn (%(size)s). Dung lượng tối đa đối với tệp %(type)s là %(limit)s.",
    "The content of the file does not match its extension %(ext)s: it looks like %(found)s.":
        "Nội dung tệp không khớp với phần mở rộng %(ext)s: tệp có dạng %(found)s.",
    "The content of the file does not match its extension %(ext)s: it holds no %(what)s document.":
        "Nội dung tệp không khớp với phần mở rộng %(ext)s: tệp không chứa tài liệu %(what)s.",
    "The file is an old-format Office file or is protected by a password. Save it as DOCX, XLSX or PDF without "
    "a password and upload it again.":
        "Tệp là tệp Office định dạng cũ hoặc đã được đặt mật khẩu. Vui lòng lưu tệp dưới dạng DOCX, XLSX hoặc "
        "PDF không đặt mật khẩu rồi tải lên lại.",
    "The file is not a valid %(type)s document (its archive is damaged).":
        "Tệp không phải là tài liệu %(type)s hợp lệ (cấu trúc nén bên trong bị hỏng).",
    "The file holds encrypted parts, which cannot be checked.":
        "Tệp có thành phần được mã hóa nên không thể kiểm tra.",
    "The file was refused without unpacking: it holds more than %(count)s parts.":
        "Tệp bị từ chối, không giải nén: tệp chứa hơn %(count)s thành phần.",
    "The file was refused without unpacking: it would unpack to more than %(size)s.":
        "Tệp bị từ chối, không giải nén: dung lượng sau khi giải nén vượt quá %(size)s.",
    "The file was refused without unpacking: it is compressed more than %(ratio)s times (a possible zip bomb).":
        "Tệp bị từ chối, không giải nén: tỷ lệ nén vượt quá %(ratio)s lần (có thể là bom nén).",
    "The file contains macros or ActiveX controls, which are not accepted. Save it without macros (DOCX or XLSX) "
    "and upload it again.":
        "Tệp có chứa macro hoặc điều khiển ActiveX nên không được nhận. Vui lòng lưu tệp không có macro (DOCX "
        "hoặc XLSX) rồi tải lên lại.",
    "The file loads content from outside (a remote template, a linked object or image), which is not accepted.":
        "Tệp nạp nội dung từ bên ngoài (mẫu từ xa, đối tượng hoặc hình ảnh liên kết) nên không được nhận.",
    # what a file looks like
    "a PDF document": "tài liệu PDF",
    "a PNG image": "ảnh PNG",
    "a JPEG image": "ảnh JPEG",
    "a ZIP archive": "tệp nén ZIP",
    "an old-format Office file": "tệp Office định dạng cũ",
    "an HTML, SVG or XML document": "tài liệu HTML, SVG hoặc XML",
    "a program": "tệp chương trình",
    "an unknown format": "định dạng không xác định",
}
