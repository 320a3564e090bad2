"""Vietnamese translations of the annual environmental protection report messages (báo cáo công
tác bảo vệ môi trường, Circular 02/2022/TT-BTNMT, forms 05.A/05.B/06): reports/ (models, choices,
form validation, workflow, digital signatures, receipts, spreadsheets, analytics, reminders) and
templates/reports/. Applied by locale/tools/vi_translations.py.

Terms: form = mẫu (báo cáo); revision of a report = lần nộp; form version = phiên bản mẫu;
accept = chấp nhận (button "Chấp nhận", status "Đã chấp nhận"); return = trả lại; receive = tiếp
nhận; receipt = giấy biên nhận; review = rà soát (as the existing "Review" heading); signature =
chữ ký số; certificate = chứng thư số; certification authority = tổ chức cung cấp dịch vụ chứng thực
chữ ký số; limit = giới hạn cho phép, exceedance = trường hợp vượt giới hạn cho phép; copy of
record = bản lưu hồ sơ; template (.xlsx) = tệp mẫu; sheet = trang tính; enterprise portal = trang
doanh nghiệp; "Due before" = hạn nộp trước ngày (the date follows). "Annual environmental protection
report" and "Annual report" are always followed by the year in the templates, hence "… năm"."""
VI = {
    # reports/analytics.py, reports/analytics_views.py
    "Hazardous waste": "Chất thải nguy hại",
    "CTNH code": "Mã CTNH",
    "Wastewater discharged": "Lượng nước thải xả thải",
    "Ordinary solid waste": "Chất thải rắn thông thường",
    "Waste kind": "Loại chất thải",
    "Monitoring results above the limit": "Kết quả quan trắc vượt giới hạn cho phép",
    "Parameter": "Thông số",
    "Wastewater results above the limit": "Kết quả quan trắc nước thải vượt giới hạn cho phép",
    "Emission results above the limit": "Kết quả quan trắc khí thải vượt giới hạn cho phép",
    "Form": "Mẫu",
    "Facility": "Cơ sở",
    "All forms": "Tất cả các mẫu",
    "Measure": "Chỉ tiêu tổng hợp",
    "Group by": "Nhóm theo",
    "All communes": "Tất cả xã/phường",
    "All zones": "Tất cả khu/cụm công nghiệp",
    "Break down by CTNH code, waste kind or parameter": "Chi tiết theo mã CTNH, loại chất thải hoặc thông số",
    "Format": "Định dạng",
    "Reports": "Số báo cáo",
    "Values ignored": "Số giá trị bị bỏ qua",
    "Not specified": "Chưa xác định",
    # reports/apps.py, reports/choices.py, reports/context_processors.py
    "Annual environmental protection reports": "Báo cáo công tác bảo vệ môi trường hằng năm",
    "Returned for correction": "Đã trả lại để chỉnh sửa",
    "Accepted": "Đã chấp nhận",
    "Facilities holding an environmental permit (form 05.A)": "Cơ sở có giấy phép môi trường (mẫu 05.A)",
    "Facilities with environmental registration (form 05.B)":
        "Cơ sở thuộc đối tượng đăng ký môi trường (mẫu 05.B)",
    "Investors in industrial zone or cluster infrastructure (form 06)":
        "Chủ đầu tư kinh doanh hạ tầng khu công nghiệp, cụm công nghiệp (mẫu 06)",
    "Signed with the enterprise's own tool and uploaded": "Ký bằng công cụ của doanh nghiệp và tải lên",
    "Signed in the portal": "Ký trên cổng thông tin",
    "Authority that issued the permit or received the registration":
        "Cơ quan cấp giấy phép môi trường hoặc tiếp nhận đăng ký môi trường",
    "Economic zone management board": "Ban Quản lý Khu kinh tế",
    "Zone infrastructure investor": "Chủ đầu tư kinh doanh hạ tầng khu/cụm công nghiệp",
    "30 days before the deadline": "Trước hạn nộp 30 ngày",
    "7 days before the deadline": "Trước hạn nộp 7 ngày",
    "1 day before the deadline": "Trước hạn nộp 1 ngày",
    "The day after the deadline": "Ngày liền sau hạn nộp",
    "Enterprise portal": "Trang doanh nghiệp",
    "Annual reports": "Báo cáo hằng năm",
    # reports/domain/forms.py
    "This value cannot be read.": "Không đọc được giá trị này.",
    "Enter a date as dd/mm/yyyy.": "Hãy nhập ngày theo dạng dd/mm/yyyy.",
    "Enter yes (có) or no (không).": "Hãy nhập “có” hoặc “không”.",
    "“%(value)s” is not one of the options: %(options)s.":
        "“%(value)s” không thuộc các lựa chọn: %(options)s.",
    "A hazardous waste code (mã CTNH) has six digits written “NN NN NN”, as in Appendix III of "
    "Circular 02/2022/TT-BTNMT.":
        "Mã chất thải nguy hại (mã CTNH) gồm sáu chữ số, viết dạng “NN NN NN”, theo Phụ lục III "
        "Thông tư 02/2022/TT-BTNMT.",
    "At most %(limit)d characters (%(length)d entered).": "Tối đa %(limit)d ký tự (đã nhập %(length)d).",
    "“%(value)s” does not have the expected format.": "“%(value)s” không đúng định dạng quy định.",
    "Enter a whole number.": "Hãy nhập số nguyên.",
    "“%(raw)s” was read as %(value)s: check the decimal mark (in Vietnamese notation “,” is the decimal "
    "mark and “.” separates thousands).":
        "“%(raw)s” được hiểu là %(value)s: hãy kiểm tra dấu thập phân (theo cách viết của Việt Nam, “,” là "
        "dấu thập phân và “.” là dấu phân cách hàng nghìn).",
    "The value must be at least %(min)s.": "Giá trị phải lớn hơn hoặc bằng %(min)s.",
    "The value must be at most %(max)s.": "Giá trị phải nhỏ hơn hoặc bằng %(max)s.",
    "This field is required.": "Trường này là bắt buộc.",
    "Required before submission.": "Phải nhập trước khi nộp.",
    "The rows of this table cannot be read.": "Không đọc được các dòng của bảng này.",
    "This table has more than %(max)d rows; the rows after row %(max)d were left out.":
        "Bảng này có quá %(max)d dòng; các dòng sau dòng thứ %(max)d đã bị bỏ qua.",
    "At least %(min)d rows are required.": "Cần có ít nhất %(min)d dòng.",
    "“%(limit)s” is not a limit the portal can read (write 50, ≤ 50, ≥ 4 or 5,5 - 9): this row is not checked.":
        "“%(limit)s” không phải là giới hạn mà hệ thống đọc được (ghi dạng 50, ≤ 50, ≥ 4 hoặc 5,5 - 9): "
        "dòng này không được kiểm tra.",
    "The result %(value)s exceeds the limit %(limit)s.": "Kết quả %(value)s vượt giới hạn cho phép %(limit)s.",
    "Explain each exceedance.": "Hãy giải trình từng trường hợp vượt giới hạn cho phép.",
    "Explain this exceedance before submission.":
        "Hãy giải trình trường hợp vượt giới hạn cho phép này trước khi nộp.",
    "The total %(total)s differs from the sum of the table, %(sum)s.":
        "Giá trị tổng %(total)s không khớp với tổng cộng các dòng của bảng (%(sum)s).",
    # reports/models.py
    "form": "mẫu báo cáo",
    "05.A, 05.B or 06": "05.A, 05.B hoặc 06",
    "version": "phiên bản",
    "filed by": "đơn vị báo cáo",
    "effective from": "hiệu lực từ",
    "effective to": "hiệu lực đến",
    "deadline month": "tháng hạn nộp",
    "due before day": "ngày hạn nộp (nộp trước ngày này)",
    "definition": "định nghĩa mẫu",
    "of the fixture file it was loaded from": "của tệp dữ liệu gốc đã nạp",
    "report form version": "phiên bản mẫu báo cáo",
    "report form versions": "phiên bản mẫu báo cáo",
    "zone (form 06)": "khu/cụm công nghiệp (mẫu 06)",
    "form version": "phiên bản mẫu",
    "revision": "lần nộp",
    "data": "dữ liệu",
    '{"fields": {key: value}, "tables": {key: [row, ...]}}': '{"fields": {key: value}, "tables": {key: [row, ...]}}',
    "number and symbol": "số, ký hiệu",
    "Số: …/BC-…": "Số: …/BC-…",
    "place": "địa danh",
    "report date": "ngày báo cáo",
    "due before": "hạn nộp trước ngày",
    "commune": "xã/phường",
    "in zone": "thuộc khu/cụm công nghiệp",
    "rendered PDF": "bản PDF đã tạo",
    "rendered PDF SHA-256": "SHA-256 của bản PDF đã tạo",
    "rendered": "thời điểm tạo PDF",
    "first submitted": "thời điểm nộp lần đầu",
    "submitted": "thời điểm nộp",
    "reviewed": "thời điểm rà soát",
    "reason for return": "lý do trả lại",
    "created by": "người tạo",
    "annual report": "báo cáo hằng năm",
    "annual reports": "báo cáo hằng năm",
    "data as submitted": "dữ liệu khi nộp",
    "signed PDF": "bản PDF đã ký số",
    "signed": "hình thức ký",
    "verification result": "kết quả kiểm tra chữ ký số",
    "signer's tax code": "mã số thuế của người ký",
    "signing time": "thời điểm ký",
    "received": "thời điểm tiếp nhận",
    "receipt": "giấy biên nhận",
    "receipt SHA-256": "SHA-256 của giấy biên nhận",
    "submitted by": "người nộp",
    "outcome": "kết quả rà soát",
    "Returned": "Đã trả lại",
    "submission (copy of record)": "lần nộp (bản lưu hồ sơ)",
    "submissions (copies of record)": "lần nộp (bản lưu hồ sơ)",
    "submission": "lần nộp",
    "recipient": "nơi nhận",
    "recipients": "nơi nhận",
    "sent": "thời điểm gửi",
    "reminder": "thư nhắc hạn",
    "reminders": "thư nhắc hạn",
    # reports/services/receipts.py, reports/services/workflow.py
    "Time-stamped at %(at)s.": "Đã gắn dấu thời gian lúc %(at)s.",
    "Annual environmental protection report %(year)s": "Báo cáo công tác bảo vệ môi trường năm %(year)s",
    "A report that is %(from)s cannot become %(to)s.":
        "Báo cáo ở trạng thái “%(from)s” không thể chuyển sang trạng thái “%(to)s”.",
    "You may not do this with this report.": "Bạn không có quyền thực hiện thao tác này đối với báo cáo này.",
    "This facility is exempt from the annual report (Article 32 of Decree 08/2022).":
        "Cơ sở này được miễn báo cáo hằng năm (Điều 32 Nghị định 08/2022).",
    "The facility has no owner organisation to file its report.":
        "Cơ sở chưa được gắn với đơn vị chủ cơ sở nên không thể lập báo cáo.",
    "A submitted report cannot be changed; wait for the review.":
        "Không thể sửa báo cáo đã nộp; hãy chờ kết quả rà soát.",
    "Render the report's PDF before signing it.": "Hãy tạo bản PDF của báo cáo trước khi ký số.",
    "The report changed while the signature was being checked; sign it again.":
        "Báo cáo đã thay đổi trong khi đang kiểm tra chữ ký số; hãy ký lại.",
    "Say why the report is returned.": "Hãy nêu lý do trả lại báo cáo.",
    # reports/signing/signers.py
    "The PDF could not be signed: %(error)s": "Không ký số được tệp PDF: %(error)s",
    "Your certificate expired on %(date)s. Renew it with your certification authority, then sign again.":
        "Chứng thư số của bạn đã hết hạn vào %(date)s. Hãy gia hạn với tổ chức cung cấp dịch vụ chứng thực "
        "chữ ký số, sau đó ký lại.",
    "Your certificate is not valid before %(date)s.": "Chứng thư số của bạn chỉ có hiệu lực từ %(date)s.",
    "This file is not a PKCS#12 certificate file (.p12 or .pfx).":
        "Tệp này không phải là tệp chứng thư số PKCS#12 (.p12 hoặc .pfx).",
    "The password of the certificate file is wrong.": "Mật khẩu của tệp chứng thư số không đúng.",
    "The certificate file holds no private key and certificate pair.":
        "Tệp chứng thư số không chứa cặp khóa bí mật và chứng thư số.",
    # reports/signing/verify.py
    "The file is not a PDF document. Upload the signed PDF of the report.":
        "Tệp không phải là tài liệu PDF. Hãy tải lên bản PDF báo cáo đã ký số.",
    "The PDF file is damaged and cannot be read. Upload the signed PDF again.":
        "Tệp PDF bị hỏng, không đọc được. Hãy tải lên lại bản PDF đã ký số.",
    "The PDF has no digital signature. Sign the report PDF downloaded from the portal with your enterprise's "
    "digital certificate, then upload the signed file.":
        "Tệp PDF không có chữ ký số. Hãy ký số bản PDF báo cáo tải về từ cổng thông tin bằng chứng thư số "
        "của doanh nghiệp, sau đó tải lên tệp đã ký.",
    "The signature in the PDF is damaged and cannot be read. Sign the report PDF again.":
        "Chữ ký số trong tệp PDF bị hỏng, không đọc được. Hãy ký lại bản PDF báo cáo.",
    "The signature in the PDF uses a format the portal does not accept. Sign with a PAdES "
    "(ETSI.CAdES.detached) or adbe.pkcs7.detached signature.":
        "Chữ ký số trong tệp PDF dùng định dạng mà cổng thông tin không chấp nhận. Hãy ký theo định dạng "
        "PAdES (ETSI.CAdES.detached) hoặc adbe.pkcs7.detached.",
    "The signature is damaged: its data cannot be checked. Sign the report PDF again.":
        "Chữ ký số bị hỏng: không kiểm tra được dữ liệu chữ ký. Hãy ký lại bản PDF báo cáo.",
    "The signature is broken: the signed content does not match the signature, so the document was changed "
    "after signing or the signature is damaged. Sign the report PDF again.":
        "Chữ ký số không hợp lệ: nội dung đã ký không khớp với chữ ký, do tài liệu đã bị thay đổi sau khi ký "
        "hoặc chữ ký bị hỏng. Hãy ký lại bản PDF báo cáo.",
    "The signature does not cover the document as a whole (non-standard signed byte range). Sign the report "
    "PDF again with a standard tool.":
        "Chữ ký số không bao trùm toàn bộ tài liệu (phạm vi byte được ký không theo chuẩn). Hãy ký lại bản "
        "PDF báo cáo bằng công cụ ký số theo chuẩn.",
    "The timestamp of the signature is broken. Sign the report PDF again.":
        "Dấu thời gian của chữ ký số không hợp lệ. Hãy ký lại bản PDF báo cáo.",
    "The signed document is not the report the portal prepared for this revision. Download the report PDF "
    "again, sign it without editing or saving it as a new file, and upload the signed file.":
        "Tài liệu đã ký không phải là bản báo cáo do cổng thông tin tạo cho lần nộp này. Hãy tải lại bản PDF "
        "báo cáo, ký số mà không chỉnh sửa hoặc lưu thành tệp mới, rồi tải lên tệp đã ký.",
    "The PDF was changed after it was signed (its pages, annotations or form fields were modified). Upload "
    "the file exactly as your signing tool produced it, from the report PDF downloaded from the portal.":
        "Tệp PDF đã bị thay đổi sau khi ký (trang, chú thích hoặc trường biểu mẫu bị sửa đổi). Hãy tải lên đúng "
        "tệp do công cụ ký số tạo ra từ bản PDF báo cáo tải về từ cổng thông tin.",
    "The signing certificate (serial %(serial)s) was not valid at the time of checking: it is valid from "
    "%(start)s to %(end)s. Sign again with a valid certificate.":
        "Chứng thư số dùng để ký (số hiệu %(serial)s) không có hiệu lực tại thời điểm kiểm tra: thời hạn "
        "hiệu lực từ %(start)s đến %(end)s. Hãy ký lại bằng chứng thư số còn hiệu lực.",
    "The timestamp of the signature is not issued by a trusted time-stamping authority.":
        "Dấu thời gian của chữ ký số không do tổ chức cung cấp dịch vụ cấp dấu thời gian tin cậy cấp.",
    "The signing certificate of %(signer)s carries no tax code (MST), so it cannot be matched to the "
    "enterprise that files this report (tax code %(expected)s). Sign with your enterprise's certificate.":
        "Chứng thư số của %(signer)s không chứa mã số thuế (MST) nên không đối chiếu được với doanh nghiệp "
        "lập báo cáo này (mã số thuế %(expected)s). Hãy ký bằng chứng thư số của doanh nghiệp.",
    "The signature belongs to %(signer)s (tax code %(found)s), not to the enterprise that files this report "
    "(tax code %(expected)s). Sign with your enterprise's certificate.":
        "Chữ ký số thuộc về %(signer)s (mã số thuế %(found)s), không phải của doanh nghiệp lập báo cáo này "
        "(mã số thuế %(expected)s). Hãy ký bằng chứng thư số của doanh nghiệp.",
    "Valid signature by %(signer)s (tax code %(found)s), signed on %(time)s.":
        "Chữ ký số hợp lệ của %(signer)s (mã số thuế %(found)s), ký lúc %(time)s.",
    "Valid signature by %(signer)s, signed on %(time)s.": "Chữ ký số hợp lệ của %(signer)s, ký lúc %(time)s.",
    "%(signer)s (tax code %(found)s), signed on %(time)s": "%(signer)s (mã số thuế %(found)s), ký lúc %(time)s",
    "%(signer)s, signed on %(time)s": "%(signer)s, ký lúc %(time)s",
    "%(count)d valid signatures: %(signers)s.": "%(count)d chữ ký số hợp lệ: %(signers)s.",
    "The signing certificate has been revoked by its certification authority.":
        "Chứng thư số dùng để ký đã bị tổ chức cung cấp dịch vụ chứng thực chữ ký số thu hồi.",
    "The signing certificate may not be used for signatures (its key usage lacks non-repudiation). Sign "
    "with a signing certificate.":
        "Chứng thư số này không được phép dùng để ký (mục đích sử dụng khóa không có chống chối bỏ – "
        "non-repudiation). Hãy ký bằng chứng thư số dùng cho ký số.",
    "The signing certificate is not issued by a certification authority the portal trusts (issuer: "
    "%(issuer)s). Sign with a certificate from a licensed Vietnamese certification authority.":
        "Chứng thư số dùng để ký không do tổ chức cung cấp dịch vụ chứng thực chữ ký số được cổng thông tin "
        "tin cậy cấp (tổ chức cấp: %(issuer)s). Hãy ký bằng chứng thư số do tổ chức cung cấp dịch vụ chứng "
        "thực chữ ký số được cấp phép tại Việt Nam cấp.",
    # reports/spreadsheets.py
    "The file is larger than %(mb)d MB.": "Tệp vượt quá dung lượng cho phép %(mb)d MB.",
    "The sheet “%(sheet)s” has lost its hidden column of field keys: download the template again.":
        "Trang tính “%(sheet)s” đã mất cột ẩn chứa mã trường: hãy tải lại tệp mẫu.",
    "The sheet “%(sheet)s” has lost its hidden row of column keys: download the template again.":
        "Trang tính “%(sheet)s” đã mất dòng ẩn chứa mã cột: hãy tải lại tệp mẫu.",
    "The sheet “%(sheet)s” has more than %(max)d rows; split the data or contact the Department.":
        "Trang tính “%(sheet)s” có quá %(max)d dòng; hãy tách dữ liệu hoặc liên hệ với Sở.",
    "The file is not an Excel workbook (.xlsx).": "Tệp không phải là bảng tính Excel (.xlsx).",
    "This workbook is not a template from the portal: download the template of form %(code)s and fill it in.":
        "Bảng tính này không phải là tệp mẫu do cổng thông tin tạo: hãy tải tệp mẫu của mẫu báo cáo "
        "%(code)s rồi điền dữ liệu.",
    "This is the template of form %(code)s version %(version)s; this report uses form %(expected_code)s "
    "version %(expected_version)s. Download the template again.":
        "Đây là tệp mẫu của mẫu báo cáo %(code)s phiên bản %(version)s; báo cáo này dùng mẫu %(expected_code)s "
        "phiên bản %(expected_version)s. Hãy tải lại tệp mẫu.",
    "The sheet “%(sheet)s” is missing.": "Thiếu trang tính “%(sheet)s”.",
    "The sheet “%(sheet)s” (table %(table)s) is missing.": "Thiếu trang tính “%(sheet)s” (bảng %(table)s).",
    # reports/views.py
    "Choose a reporting year from the list.": "Hãy chọn năm báo cáo trong danh sách.",
    "Draft saved.": "Đã lưu bản nháp.",
    "%(n)s value(s) still need correcting before the report can be signed.":
        "Còn %(n)s giá trị cần sửa trước khi có thể ký số báo cáo.",
    "Number and symbol": "Số, ký hiệu",
    "Place": "Địa danh",
    "Report date": "Ngày báo cáo",
    "The report is not complete yet: correct the marked values.":
        "Báo cáo chưa đầy đủ: hãy sửa các giá trị được đánh dấu.",
    "Signed PDF": "Bản PDF đã ký số",
    "The file is larger than %(mb)s MB.": "Tệp vượt quá dung lượng cho phép %(mb)s MB.",
    "This is not a PDF file.": "Tệp này không phải là tệp PDF.",
    "Certificate and key (PKCS#12, .p12/.pfx)": "Chứng thư số và khóa (PKCS#12, .p12/.pfx)",
    "Password of the certificate": "Mật khẩu của tệp chứng thư số",
    "A PKCS#12 file is never this large.": "Tệp PKCS#12 không thể có dung lượng lớn như vậy.",
    "Report received on %(at)s. Your receipt is ready.":
        "Đã tiếp nhận báo cáo lúc %(at)s. Giấy biên nhận đã sẵn sàng.",
    "Report accepted.": "Đã chấp nhận báo cáo.",
    "Report returned to the enterprise.": "Đã trả lại báo cáo cho doanh nghiệp.",
    "Filled-in template (.xlsx)": "Tệp mẫu đã điền (.xlsx)",
    "Upload the .xlsx template generated by the portal.": "Hãy tải lên tệp mẫu .xlsx do cổng thông tin tạo.",
    "Spreadsheet imported: %(errors)s value(s) to correct.":
        "Đã nhập dữ liệu từ bảng tính: còn %(errors)s giá trị cần sửa.",
    "Not received": "Chưa tiếp nhận",
    "Late or missing": "Nộp muộn hoặc chưa nộp",
    # templates/reports/_feature_panel.html, analytics.html
    "Exempt from the annual report (Article 32 of Decree 08/2022).":
        "Được miễn báo cáo hằng năm (Điều 32 Nghị định 08/2022).",
    "Revision": "Lần nộp",
    "Received": "Ngày tiếp nhận",
    "No annual report received.": "Chưa tiếp nhận báo cáo hằng năm nào.",
    "Query the annual reports": "Tổng hợp số liệu báo cáo hằng năm",
    "Totals over the structured data of the reports received in your scope (the data of their latest "
    "submission). Values that are not plain numbers are left out and counted as ignored.":
        "Tổng hợp dữ liệu có cấu trúc của các báo cáo đã tiếp nhận trong phạm vi của bạn (theo dữ liệu của "
        "lần nộp gần nhất). Các giá trị không phải là số đơn thuần không được cộng và được tính là bị bỏ qua.",
    "Please correct the fields marked above.": "Hãy sửa các trường được đánh dấu ở trên.",
    "Download CSV": "Tải CSV",
    "Download XLSX": "Tải XLSX",
    "No received report in your scope has data for this question.":
        "Không có báo cáo đã tiếp nhận nào trong phạm vi của bạn có dữ liệu cho nội dung này.",
    # templates/reports/detail.html
    "Annual report": "Báo cáo năm",
    "Annual environmental protection report": "Báo cáo công tác bảo vệ môi trường năm",
    "Filed by": "Đơn vị báo cáo",
    "Due before": "Hạn nộp trước ngày",
    "Reason for return": "Lý do trả lại",
    "Continue the report": "Tiếp tục lập báo cáo",
    "Sign and submit": "Ký số và nộp",
    "Note (optional)": "Ghi chú (không bắt buộc)",
    "Accept": "Chấp nhận",
    "Return to the enterprise": "Trả lại doanh nghiệp",
    "Structured data": "Dữ liệu có cấu trúc",
    "Values above their limits: %(n)s.": "Số giá trị vượt giới hạn cho phép: %(n)s.",
    "layout awaiting confirmation": "bố cục đang chờ xác nhận",
    "Submitted PDF": "Bản PDF đã nộp",
    "Submissions (copies of record)": "Các lần nộp (bản lưu hồ sơ)",
    "Verification": "Kiểm tra chữ ký số",
    "timestamp": "dấu thời gian",
    "Recipients": "Nơi nhận",
    "Receipt": "Giấy biên nhận",
    "Not submitted yet.": "Chưa nộp lần nào.",
    # templates/reports/edit.html
    "Report page": "Trang báo cáo",
    "Returned by the agency:": "Lý do cơ quan quản lý trả lại:",
    "Sections": "Các mục",
    "errors": "lỗi",
    "warnings": "cảnh báo",
    "The report is complete.": "Báo cáo đã đầy đủ.",
    "Values marked in red must be corrected before signing; warnings do not block submission.":
        "Các giá trị đánh dấu màu đỏ phải được sửa trước khi ký số; cảnh báo không ngăn việc nộp báo cáo.",
    "Check and produce the PDF to sign": "Kiểm tra và tạo bản PDF để ký",
    "Spreadsheet": "Bảng tính",
    "Download the template (.xlsx) with the current data": "Tải tệp mẫu (.xlsx) kèm dữ liệu hiện có",
    "Document header": "Phần đầu văn bản",
    "The official layout of this table is awaiting confirmation.":
        "Bố cục chính thức của bảng này đang chờ xác nhận.",
    "Computed from the table's rows when it has any.": "Được tính từ các dòng của bảng nếu bảng có dữ liệu.",
    "exceeds": "vượt giới hạn",
    "Add a row": "Thêm dòng",
    "Save draft": "Lưu bản nháp",
    "Save and continue": "Lưu và tiếp tục",
    # templates/reports/email/
    "Industrial zone or cluster: %(name)s": "Khu/cụm công nghiệp: %(name)s",
    "Facility: %(name)s": "Cơ sở: %(name)s",
    "The annual environmental protection report for %(year)s (form %(form_code)s) was due by %(deadline)s "
    "and has not been received. Please submit it as soon as possible.":
        "Báo cáo công tác bảo vệ môi trường năm %(year)s (mẫu %(form_code)s) có hạn nộp chậm nhất là ngày "
        "%(deadline)s nhưng đến nay chưa được tiếp nhận. Đề nghị nộp báo cáo trong thời gian sớm nhất.",
    "Days overdue: %(days_late)s": "Số ngày quá hạn: %(days_late)s",
    "The annual environmental protection report for %(year)s (form %(form_code)s) must be submitted by "
    "%(deadline)s.":
        "Báo cáo công tác bảo vệ môi trường năm %(year)s (mẫu %(form_code)s) phải được nộp chậm nhất vào "
        "ngày %(deadline)s.",
    "Days left: %(days_left)s": "Số ngày còn lại: %(days_left)s",
    "What is missing:": "Nội dung còn thiếu:",
    "the report was returned for correction and has not been submitted again.":
        "báo cáo đã bị trả lại để chỉnh sửa và chưa được nộp lại.",
    "the report is saved as a draft but has not been signed and submitted.":
        "báo cáo đã được lưu ở dạng bản nháp nhưng chưa được ký số và nộp.",
    "the report has not been started in the portal.": "báo cáo chưa được lập trên cổng thông tin.",
    "To file it, sign in to the enterprise portal (%(portal_url)s), fill in the report, sign its PDF and "
    "submit it.":
        "Để nộp báo cáo, hãy đăng nhập trang doanh nghiệp (%(portal_url)s), nhập số liệu báo cáo, ký số bản "
        "PDF và nộp.",
    "This message was sent automatically by the Hai Phong environmental geoportal; please do not reply.":
        "Thư này được gửi tự động từ Cổng thông tin môi trường Hải Phòng; vui lòng không trả lời thư này.",
    "Overdue: annual environmental protection report %(year)s – %(name)s":
        "Quá hạn: Báo cáo công tác bảo vệ môi trường năm %(year)s – %(name)s",
    "Reminder: annual environmental protection report %(year)s due by %(deadline)s – %(name)s":
        "Nhắc hạn: Báo cáo công tác bảo vệ môi trường năm %(year)s, hạn nộp %(deadline)s – %(name)s",
    # templates/reports/officer_list.html
    "Query the reports' data": "Tổng hợp số liệu các báo cáo",
    "not received": "chưa tiếp nhận",
    "Zone infrastructure investors (form 06)": "Chủ đầu tư kinh doanh hạ tầng khu/cụm công nghiệp (mẫu 06)",
    "Investor": "Chủ đầu tư",
    # templates/reports/portal.html
    "The annual environmental protection report covers 1 January to 31 December. The report for %(year)s "
    "is due now.":
        "Kỳ báo cáo công tác bảo vệ môi trường tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12. Đã đến kỳ "
        "nộp báo cáo năm %(year)s.",
    "Reports due": "Báo cáo cần nộp",
    "Facility or zone": "Cơ sở hoặc khu/cụm công nghiệp",
    "not started": "chưa lập",
    "Start the report": "Lập báo cáo",
    "None of your facilities has to file an annual report.": "Không có cơ sở nào của bạn phải nộp báo cáo hằng năm.",
    "Exempt facilities": "Cơ sở được miễn",
    "These facilities are exempt from environmental registration under Article 32 of Decree 08/2022 and need "
    "not file an annual report:":
        "Các cơ sở sau được miễn đăng ký môi trường theo Điều 32 Nghị định 08/2022 và không phải nộp báo cáo "
        "hằng năm:",
    "Another year": "Năm khác",
    "All reports": "Tất cả báo cáo",
    "No report yet.": "Chưa có báo cáo.",
    # templates/reports/sign.html
    "Back to the report": "Quay lại báo cáo",
    "Sign and submit the report": "Ký số và nộp báo cáo năm",
    "The signed PDF was not accepted.": "Không tiếp nhận được bản PDF đã ký số.",
    "Check the PDF": "Kiểm tra bản PDF",
    "Download the PDF to sign": "Tải bản PDF để ký",
    "Sign it without changing it. The certificate must be issued to your enterprise: its subject carries the "
    "tax code %(expected_tax_code)s (for example UID=MST:%(expected_tax_code)s).":
        "Ký số mà không chỉnh sửa tệp. Chứng thư số phải được cấp cho doanh nghiệp của bạn: thông tin chủ thể "
        "chứa mã số thuế %(expected_tax_code)s (ví dụ UID=MST:%(expected_tax_code)s).",
    "Upload the PDF signed with your own tool": "Tải lên bản PDF đã ký bằng công cụ của bạn",
    "USB token client, Adobe Acrobat/Reader, or pyHanko.":
        "Phần mềm ký số USB token, Adobe Acrobat/Reader hoặc pyHanko.",
    "Upload and submit": "Tải lên và nộp",
    "Or sign here": "Hoặc ký số tại đây",
    "Your certificate file and password are used for this one signature and never stored.":
        "Tệp chứng thư số và mật khẩu chỉ được dùng cho lần ký này và không được lưu lại.",
}

# Distinct msgids where the register's translation of the same English word would mislead.
VI.update({
    "Submitted, awaiting review": "Đã nộp, chờ rà soát",
    "Signing method": "Cách ký",
    "Open the report": "Mở báo cáo",
    "Submitted on": "Ngày nộp",
    "Computed from the table's rows when it has any.": "Tự động tính từ các dòng của bảng (nếu bảng có dữ liệu).",
})

# The officers' summary above the list of filers.
VI.update({
    "Facilities that must report": "Số cơ sở phải báo cáo",
    "Reports received": "Số báo cáo đã tiếp nhận",
    "accepted": "đã chấp nhận",
    "awaiting review": "chờ rà soát",
    "returned": "đã trả lại",
    "Late or missing after the deadline": "Nộp muộn hoặc chưa nộp khi đã quá hạn",
})
