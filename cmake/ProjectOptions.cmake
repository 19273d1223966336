# project_options: warnings and sanitizers shared by every coopchain target.
add_library(project_options INTERFACE)
target_compile_features(project_options INTERFACE cxx_std_20)
target_compile_options(project_options INTERFACE -Wall -Wextra)
if(COOPCHAIN_WERROR)
  target_compile_options(project_options INTERFACE -Werror)
endif()
if(COOPCHAIN_SANITIZE)
  target_compile_options(project_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
  target_link_options(project_options INTERFACE -fsanitize=address,undefined)
endif()
# The release build and the sanitizer build keep line tables only: that is all a backtrace or
# a sanitizer's report names, and full debug info made every compile about a fifth slower. A
# Debug build keeps full debug info for the debugger.
if(CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo" OR COOPCHAIN_SANITIZE)
  add_compile_options(-g1)
endif()
