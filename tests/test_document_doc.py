"""The legacy DOC loader (antiword). Tests that run antiword skip when it is
not installed (CI installs it with apt); the parsing of antiword's output and
the refusals that need no antiword always run."""
from __future__ import annotations

import base64
import shutil
import zlib

import pytest

from gxcrawl.parse.document import DocumentError, load_document
from gxcrawl.parse.document import doc as docmod
from gxcrawl.parse.document.doc import docbook_blocks, fix_mojibake, load_doc, ole_streams, text_blocks
from gxcrawl.parse.model import Paragraph, Table

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# A real Word 97-2003 file: made with python-docx, converted by LibreOffice
# (soffice --headless --convert-to doc). Title property 测试报告; a table with a
# colspan row, a table with a rowspan and a two-paragraph cell.
FIXTURE_DOC = zlib.decompress(base64.b64decode("""
eNrtXH1sFMcVf7O7d7eHPzgcvmLSchjHEHCc8yeHIXDYxHEcc/6ihBJwbOMDh9jc1b6kQKWKfLSl
garQpk2kIgpREqE2SkjaKGrUtCQlKK1UQdTWatT+Qaq2Sqq2gihqFVVwffNm9m53b+98NoRAe3N6
dzu7837vzbw3bz52b8+emXHu2Eul74EtrQAVLiW84DadY0iVRsYHoMhzlxKJhHE6kU/XVboof7kN
l6L9XEjc5h4kHcmLNA2pAKkQqQipGGm6cAGYgVSCdAPSTKRZSLOR5iDNlb5Rir/zkG5C+gzSZ5Hm
I/mRFiCVIS1EKke6GakCaRHSYqRbkJZIHE63yuN8ujKpG6L4iaMt7oCd+DsKu2EyaTZ6jBkvF55L
OZbLNeXlT10+M/Utzdb/+Tmj/+f73P9mYmhZdZrwIbdXIZ84KVyjhcfvdfdvHY2ORbfF/fdERwdv
XRt94MGRyM44+cS6Hn5ubXQrjQT8uAozdL0qCB8tf/kLE/siE9OIKadLCY6hOOHCua98/8OPO4Z8
Pzykw9JFP3o3IC9Mk9c3ghDeh8R9f5f0/QPS/0/I8e+U7ANn5Tj4RzkWvi/Hw48kzgcXxdjGz/31
lf3vv/idvz7+7F8OPQ5yzOM8sd3xoejOWwejW3fRuRuRtkd2Rkb745FB/8Buv7mAiS8cHR3pH64a
jMZH6ByXV40UMtU57Xi069d1cIaZj+3tVALdWDcG99KILtIoDu0XEgr/xfYI4/gwCiPQD8Ny3C4Z
nMkYqOXQXw7V5eyGZ3Dof+ZtWFMOS8oZ1ELTEuho06ALqbltNoy0erUxpLtbATrb3LATj+NIvW0u
6Mfr97UyDW3AfNyOfdTmrRBBeYNwP45J23FsqqYZBgNXOQtVwA3PnGMzUagbpS1Cad7YUMN9h1Cm
B2V6UOZNUK+zzjYdhIibYLPOEFnJIqGGJChCAlbpbbBJ6Hj4dZOEUquEUpKwEVSSsNFRQi1JUIUE
xSxhfroEEzpH7gWNkHsdkesIWRPIqhn55nTkBp2ZwLfojON3g4vwux3x6wnfJfA1M/6NAr98dV8S
30DGVnBnaY0GwnQLTJdDa5gxGywKI6InC/IyQvYIZLcdmcWGQqFQJuRNoBPyJkfkICHrAtljRl7g
5CMzIeUgM3mU8Wbxv+WE7RXYut3/bFpz7Aaz/80k7VOpAi7NL2EXaCZdkJQVwX7sh2YYwtyoqRxj
olyLnAuml1uJ5T5MzGAraca3Fktsw2sPYkTgM8dOKteP9eDfMeTzExafT/K0nqQsYOtp7ZDet82y
cu/PArU6A2qNE2oOfbidUNewdkfUWgvqxP02TGhdLEwjyHrEiWObRSwotwiUOQ1bTLrVQWifC+5u
VUw+hN18A+H1sw00yvSgBQYQ0Ql1qVON5yLqdKvnzCXPqSTcL7BKqnUT2m4Q1wF+1DiCo2Lc5g0B
Kv0wC9Aa0Kl0jY0jSByHWDAjh7VldVTWh9r5YBVxHmOraM25Dq9vxRLRDLr5sLJerKyXugjvF3XE
/xKrIwt0YYsJDzdzTRc9jCuKbbOF4iHneoN1O3pBnYU71xjbQpjvsBZHzHoLZra4Kjz0vQwe2uDk
oVliqUC7kAFtWRpa9vgp/J0pYUe0oAUtl5gp+vgMxbmPL0/r47nFyTIRj5Qymt/00Ko3Spg8X0/m
qoCNPowuSgV54x04/4mRpDGUPkblhKu0iXihtNFc6i6KeRH8HiMfc/a3WamaC0+RHiJ8vUsRvm70
btGz0zXgXjs9NrR3717Da4WH9Sst1BPsuqQjZNIjJKKBEiIcqx7dFPv5CMGRt+I316RRZ01L3LGh
k53rYNUSw6seVtpph8iuiRPGjRYMHvwQR5gCowlFD6WG+nATjVIPUAQwIh+PhsjP2SRPBY1YxxQx
srVTjeP42491iSCPmFOCLPdSlnI1pnJvZClXayr3TpZydaZy72UpV28qdyFLuQZTOaZmLrfMVG5G
lnJBU7kFWcotF4tELMegSW2hNZO1h3Kr1OJs/TzOZXbRXGYudk2Mwkh8UO9sK8B+WUAjehU0+ThO
Fc2OUrHdGCu45etALDX4wqgObsPy3Wodrd0M/bgf1UPvY0Nsy2M443rsqUvG4mSknNE8pgy5BtSV
pG0zzVb4+Ml7P9e2ASXsIgmFWL6YhkzsGnKYLKO6jqpltE/CvXqQ9OS5ZcSBAwiVeURtIM+3zrz6
icNvmWfxlRxv8UaYj5p9S22k2GLm43uny3HNdR7XP0WndVBaSw6WM0VUjGzQCH7kfVryWtHn4dVs
vHtQ3wuJl9U91MJhGll7sFX4OGtYcT6skBi2NR9c3prvCKyiGfERakFzb74HLSUkCkGVDO1XPsgV
Dp/WjVnuzXSiI3WiYlBnXq3ztM5Dmo4SFlGJrlSJSc22OqGN9OukMcA+2+KWu32S86xW8o4/qa00
nhle6zSD5p68Cj35rCI8GcDqyUFC+lANUv90noPx6L0a2/EcY6ae00icitaYkbOWfCGU5EnNxoLQ
gC1SogXJ01L615C+a0z62nteEJYhZ1kaZ62Y7SBnUMvUZ7m+NdpKSyTikYGvP7gl4nTvoRmmVUBB
C7M2VEjEJy1E/duZW+g/E9c1hKA4IXRPgFBLCHcIBNWKIGowkFaDMCKMUDwdJe4Wwa05yR9Nk2/m
Nmpwp0BwOSE8MgGCqEGrQHBbEUSU/5bWYkNolqs8HikelOP4Xab4C0kfErZsI5yntTaaNWTGMTyq
zaEHWLFezgFL+NjdJh+zYz1OUfBN7XGKRCPJVQZg5G2373cVnZ4DnpCyVzvpBm+oYG/RSWPrLG0n
zL4awSiZLTJSVKwS/ROqSJfUDJLHm3UOa5WQLB+iMW2rbUzT0coiks5JRarmthI+T+rHHz5XOiwR
DpN1M89hATZBB7bicXULkmhFvk8xN6fQrKVCs+YUmjPNRqtgga9aVVxVSe3EqOtPm22ISB2EKt8M
Oar6kt4Qoe8xBy7exqEKr9TijNgLLjPuq/CboEe84r4IP97H80g/QDqJ9E+ktXg9jLQJaQfSLq/g
mcx9VA/tSHNKTLd/xG6vkuGaCoKcrmlyZ9vpmkve7XG65pY74U7XPLJWTteYvPNrTzpWkUcFHt1n
nXYBG2LujrZC7BuFyPPqeZbcs7cl4gtqSb6g5laA+0R2jqOuJMdRF3IoE3LoniSH7kEOdUKOmJ7k
iOnIoU3I8XtvkuP3XuRwTcgRKkhyhAqQwz0hx/HCJMfxQuTwTMjhK05y+IqRQ5ccme14VklynFXy
drxu7Wi1R96O17YdM3NY4yofJybiyFvw2rKgNaLmLXj9WdBuj7wFr00Lmh6QUqwcYl1IHDT5zZe+
uqU9Dta0P9ej2vKaLe+y5d22vCfLk3PpyUMI9+BH7JRUW3I1llytJVdvyTVYcstMK02qo890olOs
Fml5eOfsgyyXR6D4xukILmrHaEsnAl+kWyxR2sbgWwD1iJPLM1Y9sJu2g6L0oE9tRW7S18AoyhcP
B61BSbkw8QcIdiDPBmwQvt0cIYxteGVZjgh8657rKmQD3OLOjQ/rlWPJWxO1CT8Ub/vM9slpNYwa
Cb2Qb1Kyfhx4NfCLwIsBgA4uT89FXhRbkMsSW4jWvOENAKsrpmaXftoEQn735fHXa1PxwCbs3kz/
xlyAs8g8RAqcef2mRZxSof9ZpB9Qbh4FhEcPzks7O0/iL1LpmfP0uJFPk0olgSuPafMPf45sk9Zk
b9585vT3Zxlb5/dihzhf8nNzk8p9z2Jo7o8O9+8MOjS0V5sNt5el8mcmfE59Oo3QTB675X4oP7an
ffRdOAssv9kSLzNzEjX3zxI7sZX4u9l0/smFGB/Uy2/ZhxZOje97FQADpt7wyELxr5p8mlrah413
mt/jQU89eA3oU7rQ6m/cTwo/BT0UeDfvHPmUT//XacnIxeHGntfCM4ZXRw731uDgX4Nr2Xgvz73X
Ee0b7oL7/rJlc0e897neZwfa1hfBgTALrAgf7+ZXjFJv9b3SVQSVXzoQXtPTv73yS3oCwt7E7qc8
uOLm17/S9ZN7PVC5Pd7b0P1Oz7/CsYjIfb934AGROzHWvs+7vTUich449fVzezyoTYo80L5vdeTU
19VHF/V9DcuJs/WSPOBFvRoige4D67XPu+Nm/Wsf/Pd+oSEvw+U+13uk2x3/zZcPb/eAnjiAur5/
0E010hONPe5ujvDYQ4WJv/Uc2//uNyH8Vt/AfYWJovCx/Q91jVPOm/BAHQjin5bPlYaLgHWUhg1t
+UdPqIi9ou/Yfg+2azUY3x4Y6sK2iIz3mPXkv1zy8m8EoLlLCRRdDQfAeV47Ui9SH9IOpGGkXUh7
kL4q73k/gfRdpMPy/vdRpKeRnkF6Dum4vCf+GtJPkX4m74+/iXQK6bS8V85vhCtIjUgrkVYhhZCa
vOI+eitSu7yf3o20HmkD0kZ5f70XaUjeZ9+JFEOKy/vt8IHp81v6pH7lkTz4rcheP2lxzk/VVRrP
4ZlLc26n0jXc/jXSB7j9B6T990i7XzQr8R9z5gNz5oA5s8ecGTJnNlxeI8wAmF3O7trGFxAZHki8
UmW2UJE5Ril9vBTYE4meBbR7wJiFvOM4XS8Znya3O5FiGTN1425gTJUHijosDjTjjI5nttWBWge3
jReA2HXR8JtyiiWnWXK6kcupBYyHTTz7ZL9+Svbrf5jbe7Vlk+oTsNYL9lbeDNoTCU2P+/4817mt
L+ecdzy5p1Yyvjhlk+xHsU+k6OT8QLP4gWbxA83iB9rk/EA9IuP4czJ+W+z/B3Pml/nJ0tVJVzHK
gcpt/rwcs/l43XVV+38+RnzKMUI9KednbyP9Ss7RMscAiw8szWJ7lrfbpx7bcymjcXsrci4eknPw
HMeAV/Oh+pqO7TnZn9u7Ra67+Jrreov/ffk4clnxPyzX2Mb6Oj//+/+a/3Gbb5b7Kjuuw/7vz/f/
y+r/O+Qe2kPyfys5zv1ySHm7XQfzP9X4r9L5fNz930zF2d7XBWwFrAxAqBOgqVOB+SfO3uY/ce72
BSd0TxnSwoNHXeVINXi9+uAQC8T4o5u1mFtcA8WBfONe/ynT+/PoH4e/+/XvDlfN8337SR2WVn78
wlo857Kd408yzDVtKPsg9S48/m9M40Eav7welNdDMs+P+TNAa2KxDZHRsfujO63v0uMhr7quKoAp
b6xPIF3J979ye9rfIenEw33ipGJsFDXTo8ox6IAB2DFp/UtAIX+hf7lO4r2qO5IbVR3ybQ5TS9NQ
OperTkI+19d4Uq0a1tM7VaaqQ7GUP5n3v/K2urhYHLvovRYj9LA4tz3/f/W25BsfU/8jz3hfkr8z
EeS/hXOUz9sqIJ8nvodkDcJa/N1KmkSS743LJZVOof78nZvGc4uuNMmTa4/gFOTzmPb8FezDl/P+
3/8CBOtZ0Q==
"""))


def needs_antiword() -> None:
    if shutil.which("antiword") is None:
        print("antiword is not installed (apt-get install antiword): skipping")
        pytest.skip("antiword is not installed (apt-get install antiword)")


# ---------------------------------------------------------------- with antiword

def test_real_doc_paragraphs_and_tables():
    needs_antiword()
    doc = load_document(FIXTURE_DOC)
    assert doc.kind == "doc" and doc.warnings == []
    assert doc.title == "测试报告"
    kinds = ["T" if isinstance(b, Table) else b.text for b in doc.blocks]
    assert kinds == ["洪泽区人民政府2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", "T",
                     "三、收到和处理政府信息公开申请情况", "T", "全年收取政府信息公开信息处理费0元。"]
    first, second = [b for b in doc.blocks if isinstance(b, Table)]
    assert first.rows == [["第二十条第（一）项", None, None, None],
                          ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                          ["规章", "0", "0", "0"],
                          ["行政规范性文件", "0", "5", "5"]]
    assert second.rows[0] == ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "4", "4"]
    # antiword does not report vertical merges: the continuation is an empty cell
    assert second.rows[1] == ["", "商业企业", "0", ""]
    assert second.rows[2] == ["", "（七）总计", "21", "21"]


def test_ole_garbage_is_refused_by_antiword():
    needs_antiword()
    body = OLE2 + bytes(range(256)) * 20
    with pytest.raises(DocumentError, match="antiword failed on an OLE2 file without a Word stream"):
        load_doc(body)


def test_truncated_doc_is_refused():
    needs_antiword()
    with pytest.raises(DocumentError, match="antiword"):
        load_doc(FIXTURE_DOC[:4096])


# ---------------------------------------------------------------- without antiword

def test_missing_antiword_is_a_document_error(monkeypatch):
    monkeypatch.setattr(docmod, "antiword_path", lambda: None)
    with pytest.raises(DocumentError, match="antiword is not installed"):
        load_doc(FIXTURE_DOC)


def test_xls_and_encrypted_containers_are_named():
    xls = OLE2 + b"\0" * 500 + "Workbook".encode("utf-16-le") + b"\0" * 500
    with pytest.raises(DocumentError, match="Excel workbook"):
        load_document(xls)
    encrypted = OLE2 + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(DocumentError, match="encrypted"):
        load_doc(encrypted)
    with pytest.raises(DocumentError, match="empty"):
        load_doc(b"")


def test_ole_streams():
    assert ole_streams(FIXTURE_DOC) == ["WordDocument"]


def test_docbook_spans_from_colspec_widths():
    xml = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.1.2//EN" "http://www.oasis-open.org/docbook/xml/4.1.2/docbookx.dtd">
<book><title>x</title><bookinfo><title>æµ‹è¯•</title></bookinfo><chapter><title/>
<para>一、总体情况</para>
<para><informaltable><tgroup cols='1'><colspec colwidth='400pt'/><tbody>
<row><entry>第二十条第（五）项</entry></row></tbody></tgroup>
<tgroup cols='2'><colspec colwidth='200pt'/><colspec colwidth='200pt'/><tbody>
<row><entry>行政
许可</entry><entry>550</entry></row><row><entry>行政处罚</entry><entry></entry></row>
</tbody></tgroup></informaltable></para>
<para>二、主动公开<emphasis>政府</emphasis>信息情况</para></chapter></book>""".encode()
    blocks, title = docbook_blocks(xml)
    assert title == "测试"
    assert blocks == [Paragraph("一、总体情况"),
                      Table([["第二十条第（五）项", None], ["行政许可", "550"], ["行政处罚", ""]]),
                      Paragraph("二、主动公开政府信息情况")]


def test_plain_text_fallback_tables():
    text = "标题\n\n|信息内容 |本年制发件数 |\n|规章     |0           |\n\n结尾\n"
    assert text_blocks(text) == [Paragraph("标题"), Table([["信息内容", "本年制发件数"], ["规章", "0"]]),
                                 Paragraph("结尾")]


def test_fix_mojibake():
    assert fix_mojibake("æµ‹è¯•æŠ¥å‘Š") == "测试报告"
    assert fix_mojibake("Report 2023") == "Report 2023"
